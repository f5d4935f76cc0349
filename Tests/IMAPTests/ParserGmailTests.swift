import IMAP
import Testing

/// Gmail: brackets in flags and labels, X-GM-* items, XLIST, throttling text after codes.
@Suite struct ParserGmailTests {
    static let fixtures: [ParserFixture] = [
        ParserFixture("greeting", crlf("* OK Gimap ready for requests from 192.0.2.7 h7mb123456ejb"),
                      untagged(.ok, "Gimap ready for requests from 192.0.2.7 h7mb123456ejb")),
        ParserFixture("capabilities",
                      crlf("* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS COMPRESS=DEFLATE ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT LIST-EXTENDED LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584"),
                      .untagged(.capability(capabilities("IMAP4rev1", "UNSELECT", "IDLE", "NAMESPACE", "QUOTA", "ID", "XLIST", "CHILDREN", "X-GM-EXT-1", "UIDPLUS", "COMPRESS=DEFLATE", "ENABLE", "MOVE", "CONDSTORE", "ESEARCH", "UTF8=ACCEPT", "LIST-EXTENDED", "LIST-STATUS", "LITERAL-", "SPECIAL-USE", "APPENDLIMIT=35651584")))),
        ParserFixture("authenticated", crlf("A1 OK user@gmail.com authenticated (Success)"),
                      tagged("A1", .ok, "user@gmail.com authenticated (Success)")),
        ParserFixture("FLAGS with brackets", crlf(#"* FLAGS (\Answered \Seen OIB-Seen-[Gmail]/Trash $Phishing)"#),
                      .untagged(.flags(flags("\\Answered", "\\Seen", "OIB-Seen-[Gmail]/Trash", "$Phishing")))),
        ParserFixture("PERMANENTFLAGS with brackets", crlf(#"* OK [PERMANENTFLAGS (de:hacking $label [css3-page] \*)] Flags permitted."#),
                      untagged(.ok, "Flags permitted.", code: .permanentFlags(flags("de:hacking", "$label", "[css3-page]", "\\*")))),
        ParserFixture("X-GM-LABELS", crlf(#"* 1 FETCH (X-GM-LABELS ("\\Sent" CustomLabel) UID 1241364)"#),
                      fetch(1, .gmailLabels(["\\Sent", "CustomLabel"]), .uid(UID(1241364)))),
        ParserFixture("X-GM-LABELS empty", crlf("* 7 FETCH (X-GM-LABELS () UID 1241380)"),
                      fetch(7, .gmailLabels([]), .uid(UID(1241380)))),
        ParserFixture("X-GM-LABELS with bracket label", crlf(#"* 8 FETCH (X-GM-LABELS ("\\Important" "Work [2024]") UID 9 FLAGS ())"#),
                      fetch(8, .gmailLabels(["\\Important", "Work [2024]"]), .uid(UID(9)), .flags([]))),
        ParserFixture("X-GM-MSGID and THRID", crlf("* 3 FETCH (X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888 UID 5)"),
                      fetch(3, .gmailMessageID(1278455344230334865), .gmailThreadID(1266894439832287888), .uid(UID(5)))),
        ParserFixture("X-GM-LABELS bare system labels and a literal",
                      crlf(#"* 4 FETCH (X-GM-LABELS (\Inbox \Starred {5}"#, #"Caf&- "\\Draft") UID 10)"#),
                      fetch(4, .gmailLabels(["\\Inbox", "\\Starred", "Caf&-", "\\Draft"]), .uid(UID(10)))),
        ParserFixture("X-GM-LABELS with an unclosed quote is malformed, not misread", crlf(#"* 5 FETCH (X-GM-LABELS ("open UID 11)"#),
                      .malformed),
        ParserFixture("X-GM-THRID not a number is kept raw", crlf(#"* 6 FETCH (X-GM-THRID abc UID 12)"#),
                      fetch(6, .other(name: "X-GM-THRID", raw: bytes("abc")), .uid(UID(12)))),
        ParserFixture("LIST [Gmail]", crlf(#"* LIST (\HasChildren \NonExistent \Subscribed) "/" "[Gmail]""#),
                      list(["\\HasChildren", "\\NonExistent", "\\Subscribed"], "/", "[Gmail]")),
        ParserFixture("LIST special use", crlf(#"* LIST (\All \HasNoChildren) "/" "[Gmail]/All Mail""#),
                      list(["\\All", "\\HasNoChildren"], "/", "[Gmail]/All Mail")),
        ParserFixture("XLIST AllMail kept", crlf(#"* XLIST (\HasNoChildren \AllMail) "/" "[Gmail]/All Mail""#),
                      list(.xlist, ["\\HasNoChildren", "\\AllMail"], "/", "[Gmail]/All Mail")),
        ParserFixture("XLIST Inbox", crlf(#"* XLIST (\HasNoChildren \Inbox) "/" "Inbox""#),
                      list(.xlist, ["\\HasNoChildren", "\\Inbox"], "/", "Inbox")),
        ParserFixture("XLIST Spam and Starred", crlf(#"* XLIST (\HasNoChildren \Spam) "/" "[Gmail]/Spam""#, #"* XLIST (\HasNoChildren \Starred) "/" "[Gmail]/Starred""#),
                      list(.xlist, ["\\HasNoChildren", "\\Spam"], "/", "[Gmail]/Spam"),
                      list(.xlist, ["\\HasNoChildren", "\\Starred"], "/", "[Gmail]/Starred")),
        ParserFixture("SELECT with text after code", crlf("F OK [READ-WRITE] [Gmail]/Visi laiškai selected. (Success) [THROTTLED]"),
                      tagged("F", .ok, "[Gmail]/Visi laiškai selected. (Success) [THROTTLED]", code: .readWrite)),
        ParserFixture("THROTTLED code", crlf("A7 NO [THROTTLED] Too many simultaneous connections. (Failure)"),
                      tagged("A7", .no, "Too many simultaneous connections. (Failure)", code: .other(name: "THROTTLED", arguments: nil))),
        ParserFixture("STATUS of [Gmail]/All Mail", crlf(#"* STATUS "[Gmail]/All Mail" (MESSAGES 2 UIDNEXT 3 UNSEEN 0)"#),
                      .untagged(.status(mailbox: mailbox("[Gmail]/All Mail"), MailboxStatus(messages: 2, uidNext: UID(3), unseen: 0)))),
        ParserFixture("ID", crlf(#"* ID ("name" "GImap" "vendor" "Google, Inc." "support-url" NIL)"#),
                      .untagged(.other(name: "ID", raw: bytes(#"* ID ("name" "GImap" "vendor" "Google, Inc." "support-url" NIL)"#)))),
        ParserFixture("modified UTF-7 label", crlf(#"* LIST (\HasNoChildren) "/" "R&AOk-pertoire""#),
                      list(["\\HasNoChildren"], "/", "R&AOk-pertoire")),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }

    @Test func labelsReadAsPeopleNameThem() {
        #expect(GmailLabel.displayName("R&AOk-sum&AOk-") == "Résumé")
        #expect(GmailLabel.displayName("Caf&-") == "Caf&")
        #expect(GmailLabel.displayName("R&D") == "R&D", "not modified UTF-7: kept as sent")
        #expect(GmailLabel.displayName("\\Inbox") == "\\Inbox")
        #expect(GmailLabel.displayName("Muy Importante") == "Muy Importante")
    }

    @Test func modifiedUTF7NameIsDecoded() throws {
        var parser = ResponseParser()
        parser.append(bytes(crlf(#"* LIST (\HasNoChildren) "/" "R&AOk-pertoire""#)))
        guard case .untagged(.list(let listing)) = try parser.next() else {
            Issue.record("expected a LIST response")
            return
        }
        #expect(listing.mailbox.displayName == "Répertoire")
        #expect(listing.mailbox.wireBytes == bytes("R&AOk-pertoire"))
    }
}
