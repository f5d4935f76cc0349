import IMAP
import Testing

/// Yahoo / AOL: trailing spaces, empty SEARCH, MODSEQ (-1), 64-bit HIGHESTMODSEQ.
@Suite struct ParserYahooTests {
    static let fixtures: [ParserFixture] = [
        ParserFixture("greeting with capabilities",
                      crlf("* OK [CAPABILITY IMAP4rev1 ID MOVE NAMESPACE XYMHIGHESTMODSEQ UIDPLUS LITERAL+ CHILDREN X-MSG-EXT UNSELECT OBJECTID] IMAP4rev1 Hello"),
                      untagged(.ok, "IMAP4rev1 Hello", code: .capability(capabilities("IMAP4rev1", "ID", "MOVE", "NAMESPACE", "XYMHIGHESTMODSEQ", "UIDPLUS", "LITERAL+", "CHILDREN", "X-MSG-EXT", "UNSELECT", "OBJECTID")))),
        ParserFixture("SEARCH trailing space", "* SEARCH 7456 \r\n", .untagged(.search([7456], modSeq: nil))),
        ParserFixture("SEARCH empty", "* SEARCH\r\n", .untagged(.search([], modSeq: nil))),
        ParserFixture("SEARCH empty with space", "* SEARCH \r\n", .untagged(.search([], modSeq: nil))),
        ParserFixture("MODSEQ (-1)", crlf(#"* 40 FETCH (MODSEQ (-1) FLAGS (\Recent \Seen) UID 336)"#),
                      fetch(40, .other(name: "MODSEQ", raw: bytes("(-1)")), .flags([.recent, .seen]), .uid(UID(336)))),
        ParserFixture("64-bit HIGHESTMODSEQ", crlf("* OK [HIGHESTMODSEQ 90060115194045007] Ok"),
                      untagged(.ok, "Ok", code: .highestModSeq(90060115194045007))),
        ParserFixture("tagged with trailing space", "A4 OK SEARCH completed \r\n", tagged("A4", .ok, "SEARCH completed")),
        ParserFixture("FETCH with space before paren", "* 1 FETCH (UID 1 FLAGS () )\r\n", fetch(1, .uid(UID(1)), .flags([]))),
        ParserFixture("LIST special use Bulk", crlf(#"* LIST (\HasNoChildren \Junk) "/" "Bulk Mail""#),
                      list(["\\HasNoChildren", "\\Junk"], "/", "Bulk Mail")),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }
}
