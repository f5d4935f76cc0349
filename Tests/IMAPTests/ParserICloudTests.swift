import IMAP
import Testing

/// iCloud, Fastmail and similar: codes without text, zero UIDVALIDITY/UIDNEXT, sections with
/// origins, NIL sections, PREVIEW literals.
@Suite struct ParserICloudTests {
    static let fixtures: [ParserFixture] = [
        ParserFixture("REFERRAL code without text", crlf("A1 OK [REFERRAL imap://hostname/foo/bar/;UID=1234]"),
                      tagged("A1", .ok, "", code: .other(name: "REFERRAL", arguments: "imap://hostname/foo/bar/;UID=1234"))),
        ParserFixture("UIDVALIDITY 0 without text", crlf("* OK [UIDVALIDITY 0]"), untagged(.ok, "", code: .uidValidity(0))),
        ParserFixture("UIDNEXT 0 without text", crlf("* OK [UIDNEXT 0]"), untagged(.ok, "", code: .uidNext(UID(0)))),
        ParserFixture("READ-WRITE without text", crlf("A3 OK [READ-WRITE]"), tagged("A3", .ok, "", code: .readWrite)),
        ParserFixture("HIGHESTMODSEQ without text", crlf("* OK [HIGHESTMODSEQ 1234]"), untagged(.ok, "", code: .highestModSeq(1234))),
        ParserFixture("unknown code with arguments", crlf("* NO [WEBALERT https://example.com/x?y=1] Log in on the web"),
                      untagged(.no, "Log in on the web", code: .other(name: "WEBALERT", arguments: "https://example.com/x?y=1"))),
        ParserFixture("sections with MIME and origin",
                      crlf("* 32 FETCH (UID 32 RFC822.SIZE 3991 BODY[2.MIME] {59}",
                           "Content-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n BODY[2]<0> {6}",
                           "Hello!)"),
                      fetch(32, .uid(UID(32)), .rfc822Size(3991),
                            .body(section: "2.MIME", origin: nil, data: bytes("Content-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n")),
                            .body(section: "2", origin: 0, data: bytes("Hello!")))),
        ParserFixture("NIL section", crlf("* 33 FETCH (UID 33 BODY[4.2] NIL)"),
                      fetch(33, .uid(UID(33)), .body(section: "4.2", origin: nil, data: nil))),
        ParserFixture("PREVIEW literal", crlf("* 12183 FETCH (UID 2282556735 PREVIEW {3}", #"abc FLAGS (\Seen))"#),
                      fetch(12183, .uid(UID(2282556735)), .preview("abc"), .flags([.seen]))),
        ParserFixture("PREVIEW quoted and NIL", crlf(#"* 1 FETCH (PREVIEW "Hi there")"#, "* 2 FETCH (PREVIEW NIL)"),
                      fetch(1, .preview("Hi there")), fetch(2, .preview(nil))),
        ParserFixture("EMAILID and THREADID kept", crlf("* 3 FETCH (UID 7 EMAILID (M6d99ac3275bb4e) THREADID (T64b478a75b7ea9))"),
                      fetch(3, .uid(UID(7)), .other(name: "EMAILID", raw: bytes("(M6d99ac3275bb4e)")), .other(name: "THREADID", raw: bytes("(T64b478a75b7ea9)")))),
        ParserFixture("no ENABLED reply, just completion", crlf("A5 OK ENABLE completed"), tagged("A5", .ok, "ENABLE completed")),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }
}
