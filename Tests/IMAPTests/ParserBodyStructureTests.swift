import IMAP
import Testing

/// BODYSTRUCTURE as real servers write it: deep nesting, message/rfc822, every extension shape,
/// and the broken ones that must degrade without losing the rest of the FETCH.
@Suite struct ParserBodyStructureTests {
    static func structure(_ body: String) -> String { crlf("* 1 FETCH (UID 10 BODYSTRUCTURE \(body))") }
    static func expect(_ structure: BodyStructure) -> Response { fetch(1, .uid(UID(10)), .bodyStructure(structure)) }

    static let nestedThreeDeep = BodyStructure.multipart(.init(parts: [
        .multipart(.init(parts: [
            .multipart(.init(parts: [
                text("plain", [parameter("CHARSET", "ISO-8859-1")], encoding: "quoted-printable", size: 450, lines: 12),
                text("html", [parameter("CHARSET", "ISO-8859-1")], encoding: "quoted-printable", size: 1360, lines: 30),
            ], subtype: "alternative", parameters: [parameter("BOUNDARY", "0__=alt")])),
            .single(.init(type: "image", subtype: "jpeg", parameters: [parameter("NAME", "bike.jpeg")], id: "<2__=lgkfjr>",
                          encoding: "base64", size: 64,
                          disposition: BodyDisposition(kind: "inline", parameters: [parameter("FILENAME", "bike.jpeg")]))),
        ], subtype: "related", parameters: [parameter("BOUNDARY", "1__=rel")])),
        .single(.init(type: "application", subtype: "pdf", parameters: [parameter("NAME", "a.pdf")], encoding: "base64", size: 2048,
                      disposition: BodyDisposition(kind: "attachment", parameters: [parameter("FILENAME", "a.pdf")]))),
    ], subtype: "mixed", parameters: [parameter("BOUNDARY", "2__=mix")]))

    static let attachedEnvelope = Envelope(date: "Mon, 1 Jan 2024 10:00:00 +0000", subject: "Inner",
                                           from: [address("A", nil, "a", "example.com")], to: [address(nil, nil, "b", "example.org")],
                                           messageID: "<inner@example.com>")

    static let fixtures: [ParserFixture] = [
        ParserFixture("nested three deep", structure(#"(((("TEXT" "PLAIN" ("CHARSET" "ISO-8859-1") NIL NIL "QUOTED-PRINTABLE" 450 12 NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "ISO-8859-1") NIL NIL "QUOTED-PRINTABLE" 1360 30 NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "0__=alt") NIL NIL)("IMAGE" "JPEG" ("NAME" "bike.jpeg") "<2__=lgkfjr>" NIL "BASE64" 64 NIL ("INLINE" ("FILENAME" "bike.jpeg")) NIL) "RELATED" ("BOUNDARY" "1__=rel") NIL NIL)("APPLICATION" "PDF" ("NAME" "a.pdf") NIL NIL "BASE64" 2048 NIL ("ATTACHMENT" ("FILENAME" "a.pdf")) NIL) "MIXED" ("BOUNDARY" "2__=mix") NIL NIL)"#),
                      expect(nestedThreeDeep)),
        ParserFixture("disposition as bare string", structure(#"("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "QUOTED-PRINTABLE" 850 31 NIL "inline" NIL NIL)"#),
                      expect(text("plain", [parameter("CHARSET", "iso-8859-1")], encoding: "quoted-printable", size: 850, lines: 31,
                                  disposition: BodyDisposition(kind: "inline", parameters: [])))),
        ParserFixture("part made only of NIL", structure(#"(NIL NIL NIL NIL NIL "7BIT" 563 NIL NIL NIL NIL)"#),
                      expect(.single(.init(type: "application", subtype: "octet-stream", encoding: "7bit", size: 563)))),
        ParserFixture("empty multipart", structure(#"(NIL "alternative" ("boundary" "Apple-Mail=_352F8E2B") NIL NIL NIL)"#),
                      expect(.multipart(.init(parts: [], subtype: "alternative", parameters: [parameter("boundary", "Apple-Mail=_352F8E2B")])))),
        ParserFixture("negative size", structure(#"("multipart" "digest" ("boundary" "x") NIL NIL "7BIT" -1 NIL NIL NIL NIL)"#),
                      expect(.single(.init(type: "multipart", subtype: "digest", parameters: [parameter("boundary", "x")], size: -1)))),
        ParserFixture("description in multipart extension", structure(#"(("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)("APPLICATION" "PKCS7-MIME" ("NAME" "smime.p7m") NIL NIL "BASE64" 100 NIL NIL NIL NIL) "mixed" ("boundary" "b") "S/MIME Encrypted Message" NIL)"#),
                      expect(.multipart(.init(parts: [
                        text("plain", size: 10, lines: 1),
                        .single(.init(type: "application", subtype: "pkcs7-mime", parameters: [parameter("NAME", "smime.p7m")], encoding: "base64", size: 100)),
                      ], subtype: "mixed", parameters: [parameter("boundary", "b")])))),
        ParserFixture("text without line count", structure(#"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 1024 NIL NIL NIL NIL)"#),
                      expect(text("plain", [parameter("CHARSET", "us-ascii")], size: 1024, lines: nil))),
        ParserFixture("text without line count or extensions", structure(#"("TEXT" "HTML" NIL NIL NIL "BASE64" 2048)"#),
                      expect(text("html", encoding: "base64", size: 2048, lines: nil))),
        ParserFixture("8-bit bytes in parameters", Array(structure("(\"TEXT\" \"PLAIN\" (\"NAME\" \"r\u{1}sum\u{1}.txt\") NIL NIL \"8BIT\" 5 1)").utf8).map { $0 == 1 ? 0xE9 : $0 },
                      [.response(expect(text("plain", [parameter("NAME", "r\u{FFFD}sum\u{FFFD}.txt")], encoding: "8bit", size: 5, lines: 1)))]),
        ParserFixture("RFC 2231 parameters kept", structure(#"("APPLICATION" "X-STUFF" ("TITLE*0*" "us-ascii'en'This%20is%20even%20more%20" "TITLE*1*" "%2A%2A%2Afun%2A%2A%2A%20" "TITLE*2" "isn't it!") NIL NIL "7BIT" 12)"#),
                      expect(.single(.init(type: "application", subtype: "x-stuff", parameters: [
                        parameter("TITLE*0*", "us-ascii'en'This%20is%20even%20more%20"),
                        parameter("TITLE*1*", "%2A%2A%2Afun%2A%2A%2A%20"),
                        parameter("TITLE*2", "isn't it!"),
                      ], size: 12)))),
        ParserFixture("message/rfc822 with envelope, body and lines", structure(#"("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 3456 ("Mon, 1 Jan 2024 10:00:00 +0000" "Inner" (("A" NIL "a" "example.com")) NIL NIL ((NIL NIL "b" "example.org")) NIL NIL NIL "<inner@example.com>") ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 100 5 NIL NIL NIL NIL) 80 NIL ("ATTACHMENT" NIL) NIL NIL)"#),
                      expect(.single(.init(type: "message", subtype: "rfc822", size: 3456, lines: 80,
                                           message: .init(envelope: attachedEnvelope, body: text("plain", [parameter("CHARSET", "US-ASCII")], size: 100, lines: 5)),
                                           disposition: BodyDisposition(kind: "attachment", parameters: []))))),
        ParserFixture("language list, location and further extensions", structure(#"("TEXT" "PLAIN" NIL NIL NIL "8BIT" 10 1 "Q2hlY2sgSW50ZWdyaXR5IQ==" NIL ("EN" "DE") "http://example.com/x" "ext1" ("ext2" 3 ("deep")))"#),
                      expect(text("plain", encoding: "8bit", size: 10, lines: 1, md5: "Q2hlY2sgSW50ZWdyaXR5IQ==", language: ["EN", "DE"], location: "http://example.com/x"))),
        ParserFixture("language as a single string", structure(#"("TEXT" "PLAIN" NIL NIL NIL "8BIT" 10 1 NIL NIL "fr" NIL)"#),
                      expect(text("plain", encoding: "8bit", size: 10, lines: 1, language: ["fr"]))),
        ParserFixture("multipart with all extensions", structure(#"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 2 1 NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 20 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "b1") ("INLINE" NIL) ("en") "loc" "future")"#),
                      expect(.multipart(.init(parts: [
                        text("plain", [parameter("CHARSET", "utf-8")], size: 2, lines: 1),
                        text("html", [parameter("CHARSET", "utf-8")], size: 20, lines: 1),
                      ], subtype: "alternative", parameters: [parameter("BOUNDARY", "b1")],
                        disposition: BodyDisposition(kind: "inline", parameters: []), language: ["en"], location: "loc")))),
        ParserFixture("non-extensible BODY", crlf(#"* 2 FETCH (BODY (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED"))"#),
                      fetch(2, .bodyStructure(.multipart(.init(parts: [
                        text("plain", [parameter("CHARSET", "US-ASCII")], size: 1152, lines: 23),
                        .single(.init(type: "text", subtype: "plain", parameters: [parameter("CHARSET", "US-ASCII"), parameter("NAME", "cc.diff")],
                                      id: "<960723163407.20117h@cac.washington.edu>", description: "Compiler diff", encoding: "base64", size: 4554, lines: 73)),
                      ], subtype: "mixed"))))),
        ParserFixture("literal inside a body structure", crlf(#"* 1 FETCH (UID 10 BODYSTRUCTURE ("TEXT" "PLAIN" ("NAME" {5}"#, #"a b.c) NIL NIL "7BIT" 5 1))"#),
                      expect(text("plain", [parameter("NAME", "a b.c")], size: 5, lines: 1))),
        ParserFixture("message/rfc822 without envelope", structure(#"("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 100 12 NIL NIL NIL NIL)"#),
                      expect(.single(.init(type: "message", subtype: "rfc822", size: 100, lines: 12)))),
        ParserFixture("multipart without subtype", structure(#"(("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1))"#),
                      expect(.multipart(.init(parts: [text("plain", size: 1, lines: 1)], subtype: "mixed")))),
        ParserFixture("unparseable structure keeps UID and FLAGS", crlf(#"* 4 FETCH (UID 77 BODYSTRUCTURE (("TEXT" "PLAIN" NIL NIL NIL "7BIT" abc) "MIXED") FLAGS (\Seen \Flagged))"#),
                      fetch(4, .uid(UID(77)), .bodyStructureUnknown, .flags([.seen, .flagged]))),
        ParserFixture("unparseable structure with a literal and bracket text", crlf(#"* 5 FETCH (BODYSTRUCTURE ("X" {3}"#, #")]( 1) UID 78)"#),
                      fetch(5, .bodyStructureUnknown, .uid(UID(78)))),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }
}

extension ParserBodyStructureTests {
    @Test func bareAtomsWhereStringsBelong() {
        ParserHarness.check(ParserFixture("atoms in parameters", Self.structure(#"("TEXT" "PLAIN" ("CHARSET" utf-8) NIL NIL 7BIT 10 1)"#),
                                          Self.expect(text("plain", [parameter("CHARSET", "utf-8")], size: 10, lines: 1))))
    }
}
