import IMAP
import Testing

/// Exchange / Office 365: text brackets in the greeting, codes without `* OK`, unquoted names with
/// TABs, extra parentheses in FETCH, throttling BADs.
@Suite struct ParserExchangeTests {
    static let fixtures: [ParserFixture] = [
        ParserFixture("greeting with bracket text", crlf("* OK The Microsoft Exchange IMAP4 service is ready. [TQBXAEgAMgBQAFIAMAA0AEMAQQAwADAAMQA0AC4AbgBhAG0AcAByAGQAMAA0AC4AcAByAG8AZAAuAG8AdQB0AGwAbwBvAGsALgBjAG8AbQA=]"),
                      untagged(.ok, "The Microsoft Exchange IMAP4 service is ready. [TQBXAEgAMgBQAFIAMAA0AEMAQQAwADAAMQA0AC4AbgBhAG0AcAByAGQAMAA0AC4AcAByAG8AZAAuAG8AdQB0AGwAbwBvAGsALgBjAG8AbQA=]")),
        ParserFixture("capabilities", crlf("* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+"),
                      .untagged(.capability(capabilities("IMAP4", "IMAP4rev1", "AUTH=PLAIN", "AUTH=XOAUTH2", "SASL-IR", "UIDPLUS", "MOVE", "ID", "UNSELECT", "CHILDREN", "IDLE", "NAMESPACE", "LITERAL+")))),
        ParserFixture("LIST unquoted name with TAB", "* LIST (\\HasNoChildren) \"/\" INBOX/Da\tOggetto\r\n",
                      list(["\\HasNoChildren"], "/", "INBOX/Da\tOggetto")),
        ParserFixture("LIST unquoted name with spaces", crlf(#"* LIST (\HasNoChildren) "/" Sent Items"#),
                      list(["\\HasNoChildren"], "/", "Sent Items")),
        ParserFixture("throttled BAD", crlf("X BAD Request is throttled. Suggested Backoff Time: 92415 milliseconds"),
                      tagged("X", .bad, "Request is throttled. Suggested Backoff Time: 92415 milliseconds")),
        ParserFixture("COPYUID in tagged OK only", crlf("A1 OK [COPYUID 55 31 6] COPY completed."),
                      tagged("A1", .ok, "COPY completed.", code: .copyUID(uidValidity: 55, source: uids(MessageRange(UID(31))), destination: uids(MessageRange(UID(6)))))),
        ParserFixture("COPYUID untagged before MOVE completion", crlf("* OK [COPYUID 55 31:33 6:8] Moved", "* 3 EXPUNGE", "A2 OK MOVE completed."),
                      untagged(.ok, "Moved", code: .copyUID(uidValidity: 55, source: uids(range(31, 33)), destination: uids(range(6, 8)))),
                      .untagged(.expunge(SequenceNumber(3))),
                      tagged("A2", .ok, "MOVE completed.")),
        ParserFixture("bare response code line during MOVE", crlf("[COPYUID 55 31 6]", "* 1 EXPUNGE", "* 0 EXISTS", "A5 OK MOVE completed."),
                      untagged(.ok, "", code: .copyUID(uidValidity: 55, source: uids(MessageRange(UID(31))), destination: uids(MessageRange(UID(6))))),
                      .untagged(.expunge(SequenceNumber(1))), .untagged(.exists(0)), tagged("A5", .ok, "MOVE completed.")),
        ParserFixture("extra parens around ENVELOPE", crlf(#"* 2 FETCH (UID 14935 (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)) FLAGS (\Seen))"#),
                      fetch(2, .uid(UID(14935)), .envelope(Envelope()), .flags([.seen]))),
        ParserFixture("NIL body encoding", crlf(#"* 5 FETCH (UID 20 BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL NIL 1234 45 NIL NIL NIL NIL))"#),
                      fetch(5, .uid(UID(20)), .bodyStructure(text("plain", [parameter("CHARSET", "utf-8")], size: 1234, lines: 45)))),
        ParserFixture("NAMESPACE", crlf(#"* NAMESPACE (("" "/")) NIL NIL"#),
                      .untagged(.namespace(NamespaceResponse(personal: [Namespace(prefix: "", delimiter: "/")], otherUsers: [], shared: [])))),
        ParserFixture("SELECT", crlf("* 12 EXISTS", "* 0 RECENT", #"* FLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)"#,
                                     #"* OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)] Permanent flags"#,
                                     "* OK [UIDVALIDITY 14] UIDVALIDITY value", "* OK [UIDNEXT 1071] The next unique identifier value",
                                     "A3 OK [READ-WRITE] SELECT completed."),
                      .untagged(.exists(12)), .untagged(.recent(0)),
                      .untagged(.flags(flags("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$MDNSent"))),
                      untagged(.ok, "Permanent flags", code: .permanentFlags(flags("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$MDNSent"))),
                      untagged(.ok, "UIDVALIDITY value", code: .uidValidity(14)),
                      untagged(.ok, "The next unique identifier value", code: .uidNext(UID(1071))),
                      tagged("A3", .ok, "SELECT completed.", code: .readWrite)),
        ParserFixture("BYE with trailing number", crlf("* BYE Connection is closed. 13"), untagged(.bye, "Connection is closed. 13")),
        ParserFixture("AUTHENTICATE failure", crlf("A1 NO AUTHENTICATE failed."), tagged("A1", .no, "AUTHENTICATE failed.")),
        ParserFixture("odd BODYSTRUCTURE degrades, UID and FLAGS kept",
                      crlf(#"* 9 FETCH (UID 44 BODYSTRUCTURE ("TEXT" "PLAIN" garbage (1 2 (3 "x)")) NIL) FLAGS (\Seen))"#),
                      fetch(9, .uid(UID(44)), .bodyStructureUnknown, .flags([.seen]))),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }
}
