import IMAP
import Testing

/// The responses every session sees, in their plain RFC 3501 / Dovecot form.
@Suite struct ParserCoreTests {
    static let fixtures: [ParserFixture] = [
        ParserFixture("tagged OK", "A1 OK done\r\n", tagged("A1", .ok, "done")),
        ParserFixture("tagged NO with code", "A2 NO [TRYCREATE] Mailbox doesn't exist\r\n",
                      tagged("A2", .no, "Mailbox doesn't exist", code: .tryCreate)),
        ParserFixture("tagged BAD", "A3 BAD Error in IMAP command: Unknown command\r\n",
                      tagged("A3", .bad, "Error in IMAP command: Unknown command")),
        ParserFixture("greeting with capability code",
                      "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN] Dovecot ready.\r\n",
                      untagged(.ok, "Dovecot ready.", code: .capability(capabilities("IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE", "AUTH=PLAIN")))),
        ParserFixture("CAPABILITY", "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n",
                      .untagged(.capability(capabilities("IMAP4rev1", "STARTTLS", "AUTH=PLAIN")))),
        ParserFixture("LIST", "* LIST (\\HasNoChildren) \".\" INBOX\r\n",
                      .untagged(.list(ListResponse(attributes: ["\\HasNoChildren"], delimiter: ".", mailbox: MailboxName(wire: bytes("INBOX")))))),
        ParserFixture("STATUS", "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n",
                      .untagged(.status(mailbox: MailboxName(wire: bytes("blurdybloop")), MailboxStatus(messages: 231, uidNext: UID(44292))))),
        ParserFixture("FLAGS", "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
                      .untagged(.flags(flags("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft")))),
        ParserFixture("EXISTS", "* 172 EXISTS\r\n", .untagged(.exists(172))),
        ParserFixture("RECENT", "* 1 RECENT\r\n", .untagged(.recent(1))),
        ParserFixture("EXPUNGE", "* 44 EXPUNGE\r\n", .untagged(.expunge(SequenceNumber(44)))),
        ParserFixture("SEARCH", "* SEARCH 2 84 882\r\n", .untagged(.search([2, 84, 882], modSeq: nil))),
        ParserFixture("FETCH basic",
                      "* 12 FETCH (UID 4827313 FLAGS (\\Seen) RFC822.SIZE 44827 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\n",
                      fetch(12, .uid(UID(4827313)), .flags([.seen]), .rfc822Size(44827), .internalDate("17-Jul-1996 02:44:25 -0700"))),
        ParserFixture("FETCH BODY[] literal",
                      "* 1 FETCH (UID 7 BODY[] {12}\r\nHello\r\nWorld)\r\n",
                      fetch(1, .uid(UID(7)), .body(section: "", origin: nil, data: bytes("Hello\r\nWorld")))),
        ParserFixture("continuation", "+ Ready for literal data\r\n", .continuation("Ready for literal data")),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }
}
