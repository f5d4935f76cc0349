import IMAP
import Testing

/// How bytes become frames: literals of every kind, sloppy line ends, reads split anywhere.
@Suite struct ParserFramingTests {
    static let fixtures: [ParserFixture] = [
        ParserFixture("LITERAL+ marker", crlf("* 1 FETCH (BODY[] {3+}", "abc)"), fetch(1, .body(section: "", origin: nil, data: bytes("abc")))),
        ParserFixture("LITERAL- marker", crlf("* 1 FETCH (BODY[] {3-}", "abc)"), fetch(1, .body(section: "", origin: nil, data: bytes("abc")))),
        ParserFixture("literal8 marker", crlf("* 1 FETCH (BINARY[] ~{3}", "a\0c)"), fetch(1, .binary(section: "", data: [0x61, 0, 0x63]))),
        ParserFixture("literal followed by }\\n", "* 1 FETCH (BODY[] {3}\nabc)\r\n", fetch(1, .body(section: "", origin: nil, data: bytes("abc")))),
        ParserFixture("bare LF line ends", "* 2 EXISTS\n* 1 RECENT\nA1 OK done\n",
                      .untagged(.exists(2)), .untagged(.recent(1)), tagged("A1", .ok, "done")),
        ParserFixture("space before CRLF", "* 2 EXISTS \r\nA1 OK \r\n", .untagged(.exists(2)), tagged("A1", .ok, "")),
        ParserFixture("literal containing CRLF and a literal marker", crlf("* 1 FETCH (UID 5 BODY[] {14}", "x {2}\r\nyz\r\nend UID 5)"),
                      fetch(1, .uid(UID(5)), .body(section: "", origin: nil, data: bytes("x {2}\r\nyz\r\nend")), .uid(UID(5)))),
        ParserFixture("empty literal", crlf("* 1 FETCH (BODY[] {0}", ")"), fetch(1, .body(section: "", origin: nil, data: []))),
        ParserFixture("literal ending in spaces is not trimmed", crlf("A1 OK {3}", "ab "), tagged("A1", .ok, "{3}\r\nab ")),
        ParserFixture("CR in one read, LF in the next", "* 38001 FETCH (UID 114597)\r\n* 38045 FETCH (UID 114662)\r\n",
                      fetch(38001, .uid(UID(114597))), fetch(38045, .uid(UID(114662)))),
        ParserFixture("several literals in one response", crlf("* 7 FETCH (BODY[HEADER] {4}", "h: v BODY[TEXT] {4}", "body UID 3)"),
                      fetch(7, .body(section: "HEADER", origin: nil, data: bytes("h: v")), .body(section: "TEXT", origin: nil, data: bytes("body")), .uid(UID(3)))),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }

    @Test func crAtTheEndOfOneReadAndLFInTheNext() throws {
        var parser = ResponseParser()
        parser.append(bytes("* 38001 FETCH (UID 114597)\r"))
        #expect(try parser.next() == nil)
        parser.append(bytes("\n* 38045 FETCH (UID 114662)\r\n"))
        #expect(try parser.next() == fetch(38001, .uid(UID(114597))))
        #expect(try parser.next() == fetch(38045, .uid(UID(114662))))
        #expect(try parser.next() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func waitsForTheWholeLiteral() throws {
        var parser = ResponseParser()
        parser.append(bytes("* 1 FETCH (BODY[] {10}\r\n12345"))
        #expect(try parser.next() == nil)
        parser.append(bytes("67890)\r\n"))
        #expect(try parser.next() == fetch(1, .body(section: "", origin: nil, data: bytes("1234567890"))))
    }

    @Test func acceptsRawBufferAndSlices() throws {
        var parser = ResponseParser()
        let input = bytes("xx* 4 EXISTS\r\n")
        parser.append(input[2...])
        input.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<0])) }
        bytes("* 5 EXISTS\r\n").withUnsafeBytes { parser.append($0) }
        #expect(try parser.next() == .untagged(.exists(4)))
        #expect(try parser.next() == .untagged(.exists(5)))
    }

    @Test func manyResponsesAcrossCompaction() throws {
        // Enough data to make the framer drop consumed bytes several times while a frame is pending.
        var parser = ResponseParser()
        var seen = 0
        for index in 0..<20_000 {
            parser.append(bytes("* \(index) FETCH (UID \(index + 1) BODY[] {5}\r\nhello)\r\n"))
            while let response = try parser.next() {
                #expect(response == fetch(UInt32(index), .uid(UID(UInt32(index + 1))), .body(section: "", origin: nil, data: bytes("hello"))))
                seen += 1
            }
        }
        #expect(seen == 20_000)
        #expect(parser.bufferedByteCount == 0)
    }
}
