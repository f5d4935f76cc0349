import IMAP
import Testing

/// Odd lines from assorted servers (imap-notes.md): lower-case keywords, NIL delimiters, raw
/// UTF-8, unescaped quotes, junk lines, NUL bytes, sequence number 0, groups and encoded words.
@Suite struct ParserQuirksTests {
    static let fixtures: [ParserFixture] = [
        ParserFixture("lower-case capability", crlf("* capability imap4rev1 starttls"),
                      .untagged(.capability(capabilities("IMAP4REV1", "STARTTLS")))),
        ParserFixture("mixed-case List", crlf(#"* List (\HasNoChildren \Trash) "/" "Trash""#),
                      list(["\\HasNoChildren", "\\Trash"], "/", "Trash")),
        ParserFixture("lower-case tagged ok", crlf("a1 ok done"), tagged("a1", .ok, "done")),
        ParserFixture("LIST name starting with +", crlf(#"* LIST (\HasNoChildren) "/" +Folder"#),
                      list(["\\HasNoChildren"], "/", "+Folder")),
        ParserFixture("LIST NIL delimiter", crlf("* LIST () NIL inbox"), list([], nil, "inbox")),
        ParserFixture("LIST backslash delimiter", crlf(#"* LIST (\Nonexistent) "\\" "Ghost""#),
                      list(["\\Nonexistent"], "\\", "Ghost")),
        ParserFixture("LIST extended data", crlf(#"* LIST (\Subscribed) "/" "Archive" ("CHILDINFO" ("SUBSCRIBED"))"#),
                      list(["\\Subscribed"], "/", "Archive", extended: ["CHILDINFO": #"("SUBSCRIBED")"#])),
        ParserFixture("LIST literal name", crlf(#"* LIST () "/" {9}"#, "Caf\u{E9} Bar"),
                      list([], "/", "Caf\u{E9} Bar")),
        ParserFixture("LIST invalid modified UTF-7 kept raw", crlf(#"* LIST () "/" "&Jjo!""#), list([], "/", "&Jjo!")),
        ParserFixture("STATUS raw UTF-8 name", crlf("* STATUS Segregator/Społeczności (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 1)"),
                      .untagged(.status(mailbox: mailbox("Segregator/Społeczności"), MailboxStatus(messages: 0, uidNext: UID(1), uidValidity: 1)))),
        ParserFixture("STATUS unquoted name with spaces", crlf("* STATUS Sent Items (MESSAGES 4)"),
                      .untagged(.status(mailbox: mailbox("Sent Items"), MailboxStatus(messages: 4)))),
        ParserFixture("STATUS literal name", crlf("* STATUS {19}", "Literal Folder Name (MESSAGES 60)"),
                      .untagged(.status(mailbox: mailbox("Literal Folder Name"), MailboxStatus(messages: 60)))),
        ParserFixture("STATUS unknown item skipped", crlf("* STATUS INBOX (MESSAGES 1 X-GUID abcdef UNSEEN 0)"),
                      .untagged(.status(mailbox: .inbox, MailboxStatus(messages: 1, unseen: 0)))),
        ParserFixture("sequence number 0", crlf("* 0 FETCH (UID 1 FLAGS ())"), fetch(0, .uid(UID(1)), .flags([]))),
        ParserFixture("BYE twice", crlf("* BYE Autologout; idle for too long", "* BYE Autologout; idle for too long"),
                      untagged(.bye, "Autologout; idle for too long"), untagged(.bye, "Autologout; idle for too long")),
        ParserFixture("BYE without text", crlf("* BYE"), untagged(.bye, "")),
        ParserFixture("NUL bytes before greeting", "\0\0\0* OK ready\r\n", untagged(.ok, "ready")),
        ParserFixture("junk line, then the session goes on", crlf("Server Unavailable. 15", "* OK ready"),
                      .malformed, .response(untagged(.ok, "ready"))),
        ParserFixture("unescaped quote inside a quoted string", crlf(#"* 1 FETCH (ENVELOPE (NIL "He said "hi"." NIL NIL NIL NIL NIL NIL NIL NIL))"#),
                      fetch(1, .envelope(Envelope(subject: #"He said "hi"."#)))),
        ParserFixture("escaped quotes in an encoded word", crlf(#"* 1 FETCH (ENVELOPE (NIL "=?ISO-8859-1?Q?\"G=FCnter__Hammerl\"?=" NIL NIL NIL NIL NIL NIL NIL NIL))"#),
                      fetch(1, .envelope(Envelope(subject: #"=?ISO-8859-1?Q?"G=FCnter__Hammerl"?="#)))),
        ParserFixture("address groups", crlf(#"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL ((NIL NIL "boys" NIL)(NIL NIL "aaron" "MISSING_DOMAIN")(NIL NIL NIL NIL)) NIL NIL NIL NIL))"#),
                      fetch(1, .envelope(Envelope(to: [address(nil, nil, "boys", nil), address(nil, nil, "aaron", "MISSING_DOMAIN"), address(nil, nil, nil, nil)])))),
        ParserFixture("() for NIL address list", crlf(#"* 1 FETCH (ENVELOPE ("d" "s" () () () () () () NIL NIL))"#),
                      fetch(1, .envelope(Envelope(date: "d", subject: "s")))),
        ParserFixture("UTF-8 subject", crlf(#"* 1 FETCH (ENVELOPE (NIL "Grüße aus Köln" NIL NIL NIL NIL NIL NIL NIL NIL))"#),
                      fetch(1, .envelope(Envelope(subject: "Grüße aus Köln")))),
        ParserFixture("invalid UTF-8 subject decoded lossily", [UInt8](#"* 1 FETCH (ENVELOPE (NIL "caf"#.utf8) + [0xE9] + [UInt8](#"" NIL NIL NIL NIL NIL NIL NIL NIL))"#.utf8) + [13, 10],
                      [.response(fetch(1, .envelope(Envelope(subject: "caf\u{FFFD}"))))]),
        ParserFixture("unknown untagged response kept", crlf(#"* QUOTA "" (STORAGE 10 512)"#),
                      .untagged(.other(name: "QUOTA", raw: bytes(#"* QUOTA "" (STORAGE 10 512)"#)))),
        ParserFixture("unknown message data kept", crlf("* 3 XWHATEVER 1 2"),
                      .untagged(.other(name: "XWHATEVER", raw: bytes("* 3 XWHATEVER 1 2")))),
        ParserFixture("tagged with unparseable code stays tagged", crlf("A9 NO [BADCHARSET (UTF-8] oops"),
                      tagged("A9", .no, "oops", code: .other(name: "BADCHARSET", arguments: "(UTF-8"))),
        ParserFixture("unclosed bracket is text", crlf("A9 OK [READ-WRITE done"), tagged("A9", .ok, "[READ-WRITE done")),
        ParserFixture("blank lines are skipped", "\r\n\r\n* 3 EXISTS\r\n", .response(.untagged(.exists(3)))),
        ParserFixture("CLOSED code", crlf("* OK [CLOSED] Previous mailbox closed."), untagged(.ok, "Previous mailbox closed.", code: .closed)),
        ParserFixture("UIDNOTSTICKY", crlf("* NO [UIDNOTSTICKY] Non-persistent UIDs"), untagged(.no, "Non-persistent UIDs", code: .uidNotSticky)),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }
}
