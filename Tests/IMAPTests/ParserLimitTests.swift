import IMAP
import Testing

/// Caps, typed errors and recovery: a hostile or broken server must not take the session down
/// (unless it is truly unrecoverable) and must not exhaust memory or the stack.
@Suite struct ParserLimitTests {
    static let small = ParserLimits(maxLiteralSize: 100, maxNestingDepth: 8, maxLineLength: 200)

    static let fixtures: [ParserFixture] = [
        ParserFixture("literal too large is fatal", crlf("* 1 FETCH (BODY[] {101}", "x)", "* 2 EXISTS"),
                      .error(.literalTooLarge(size: 101, limit: 100)), limits: small),
        ParserFixture("literal at the limit is fine", crlf("* 1 FETCH (BODY[] {100}", String(repeating: "x", count: 100) + ")"),
                      .response(fetch(1, .body(section: "", origin: nil, data: Array(repeating: UInt8(ascii: "x"), count: 100)))), limits: small),
        ParserFixture("absurd literal size is fatal", crlf("* 1 FETCH (BODY[] {99999999999999999999999}", ")"),
                      .error(.literalTooLarge(size: Int.max, limit: 100)), limits: small),
        ParserFixture("nesting too deep skips the response", crlf("* 1 FETCH (UID 1 X-DEEP ((((((((((1)))))))))))", "* 2 EXISTS"),
                      .error(.nestingTooDeep(limit: 8)), .response(.untagged(.exists(2))), limits: small),
        ParserFixture("deep BODYSTRUCTURE is a nesting error, not unknown", crlf(#"* 1 FETCH (BODYSTRUCTURE (((((((((("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1) "MIXED") "MIXED") "MIXED") "MIXED") "MIXED") "MIXED") "MIXED") "MIXED") "MIXED") "MIXED"))"#, "A1 OK done"),
                      .error(.nestingTooDeep(limit: 8)), .response(tagged("A1", .ok, "done")), limits: small),
        ParserFixture("line too long is fatal", crlf("* OK " + String(repeating: "a", count: 300)),
                      .error(.lineTooLong(limit: 200)), limits: small),
        ParserFixture("malformed FETCH, then the next response", crlf("* 1 FETCH (UID x)", "* 2 FETCH (UID 2)"),
                      .malformed, .response(fetch(2, .uid(UID(2))))),
        ParserFixture("malformed literal response, then the next", crlf("* 1 FETCH (UID {3}", "abc)", "A1 OK done"),
                      .malformed, .response(tagged("A1", .ok, "done"))),
        ParserFixture("unterminated quoted string", crlf(#"* LIST () "/" "open"#, "A2 OK listed"),
                      .malformed, .response(tagged("A2", .ok, "listed"))),
        ParserFixture("unknown status word on a tagged line", crlf("A3 MAYBE later", "A3 OK now"),
                      .malformed, .response(tagged("A3", .ok, "now"))),
    ]

    @Test(arguments: fixtures)
    func behaves(_ fixture: ParserFixture) {
        ParserHarness.check(fixture)
    }

    @Test func fatalErrorsRepeat() {
        var parser = ResponseParser(limits: Self.small)
        parser.append(bytes(crlf("* 1 FETCH (BODY[] {101}")))
        #expect(throws: IMAPParseError.literalTooLarge(size: 101, limit: 100)) { try parser.next() }
        parser.append(bytes(crlf("* 2 EXISTS")))
        #expect(throws: IMAPParseError.literalTooLarge(size: 101, limit: 100)) { try parser.next() }
    }

    @Test func lineTooLongIsDetectedBeforeTheLineEnds() {
        var parser = ResponseParser(limits: Self.small)
        parser.append(Array(repeating: UInt8(ascii: "a"), count: 201))
        #expect(throws: IMAPParseError.lineTooLong(limit: 200)) { try parser.next() }
    }

    @Test func malformedErrorSaysWhereAndWhat() throws {
        var parser = ResponseParser()
        parser.append(bytes(crlf("* 1 FETCH (UID x)")))
        do {
            _ = try parser.next()
            Issue.record("expected an error")
        } catch {
            guard case .malformed(let reason, let position, let line) = error else {
                Issue.record("expected malformed, got \(error)")
                return
            }
            #expect(reason == "expected a number")
            #expect(position == 15)
            #expect(line == bytes("* 1 FETCH (UID x)\r\n"))
            #expect(!error.isFatal)
            #expect(error.description.contains("* 1 FETCH (UID x)"))
        }
    }

    @Test func defaultsAreDocumented() {
        #expect(ParserLimits.default.maxLiteralSize == 64 * 1024 * 1024)
        #expect(ParserLimits.default.maxNestingDepth == 64)
        #expect(ParserLimits.default.maxLineLength == 1024 * 1024)
    }
}
