import Testing
@testable import HTTPServer

/// RFC 9112 §5: field-line = field-name ":" OWS field-value OWS, and the limits on the section.
@Suite("Header fields")
struct HeaderFieldTests {
    private func request(_ headerLines: String) -> String {
        "GET / HTTP/1.1\r\nHost: a\r\n\(headerLines)\r\n"
    }

    @Test("names are case-insensitive, order and duplicates are kept, OWS is trimmed")
    func fields() {
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere(
            request("accept: a\r\nX-Tag:  one \t\r\nx-tag: two\r\n").bytes)
        #expect(mismatch == nil)
        let headers = outcome.requests[0].head.headers
        #expect(headers["Accept"] == "a")
        #expect(headers["X-TAG"] == "one")
        #expect(headers.values(for: "x-tag") == ["one", "two"])
        #expect(headers.count == 4)
    }

    @Test("an empty value is allowed")
    func emptyValue() {
        let outcome = DecoderHarness.decode(request("X-Empty:\r\n"))
        #expect(outcome.requests.first?.head.headers["X-Empty"] == "")
    }

    @Test("obs-text bytes (0x80-0xFF) are allowed in values")
    func obsText() {
        let bytes = "GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf".bytes + [0xC3, 0xA9] + "\r\n\r\n".bytes
        #expect(DecoderHarness.decode([bytes]).error == nil)
    }

    @Test("malformed field lines are 400", arguments: [
        ("obs-fold", "X-A: one\r\n two\r\n", HTTPParseError.obsoleteLineFolding),
        ("obs-fold with tab", "X-A: one\r\n\ttwo\r\n", .obsoleteLineFolding),
        ("space before colon", "X-A : one\r\n", .whitespaceBeforeColon),
        ("tab before colon", "X-A\t: one\r\n", .whitespaceBeforeColon),
        ("no colon", "X-A one\r\n", .invalidHeaderName),
        ("empty name", ": one\r\n", .invalidHeaderName),
        ("non-token name", "X(A): one\r\n", .invalidHeaderName),
        ("NUL in value", "X-A: o\u{0}ne\r\n", .invalidHeaderValue(name: "X-A")),
        ("bare CR in value", "X-A: o\rne\r\n", .invalidHeaderValue(name: "X-A")),
        ("DEL in value", "X-A: o\u{7F}ne\r\n", .invalidHeaderValue(name: "X-A")),
        ("vertical tab in value", "X-A: o\u{0B}ne\r\n", .invalidHeaderValue(name: "X-A")),
        ("bare LF ends a field line", "X-A: one\nX-B: two\r\n", .invalidLineEnding),
    ])
    func malformed(_ name: String, _ lines: String, _ expected: HTTPParseError) {
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere(request(lines).bytes)
        #expect(mismatch == nil, "\(name)")
        #expect(outcome.error == expected, "\(name): \(outcome)")
        #expect(outcome.status == 400)
    }

    @Test("a header section over 16 KiB is 431, also while it is still arriving")
    func sectionTooLarge() {
        let big = "X-Big: " + String(repeating: "a", count: 16 * 1024) + "\r\n"
        #expect(DecoderHarness.decode(request(big)).status == 431)
        let unfinished = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "a", count: 17 * 1024)
        #expect(DecoderHarness.decode(unfinished).status == 431)
        let justUnder = "X-Big: " + String(repeating: "a", count: 16 * 1024 - 100) + "\r\n"
        #expect(DecoderHarness.decode(request(justUnder)).error == nil)
    }

    @Test("more than 100 header fields is 431; 100 is fine")
    func tooManyFields() {
        let ninetyNine = (1...99).map { "X-\($0): v\r\n" }.joined()   // plus Host = 100
        #expect(DecoderHarness.decode(request(ninetyNine)).error == nil)
        let hundred = (1...100).map { "X-\($0): v\r\n" }.joined()
        #expect(DecoderHarness.decode(request(hundred)).error == .tooManyHeaders(limit: 100))
    }

    @Test("Host: missing in HTTP/1.1 is 400, duplicated is 400, missing in HTTP/1.0 is fine")
    func host() {
        #expect(DecoderHarness.decode("GET / HTTP/1.1\r\n\r\n").error == .missingHost)
        #expect(DecoderHarness.decode("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n").error == .duplicateHost)
        #expect(DecoderHarness.decode("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n").error == .duplicateHost)
        #expect(DecoderHarness.decode("GET / HTTP/1.0\r\n\r\n").error == nil)
        #expect(DecoderHarness.decode("GET / HTTP/1.1\r\nHost: a b\r\n\r\n").error == .invalidHost)
        #expect(DecoderHarness.decode("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n").error == nil)
    }

    @Test("Expect: 100-continue is recognised; other expectations are 417")
    func expect() {
        let outcome = DecoderHarness.decode("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n")
        #expect(outcome.requests.first?.head.expectsContinue == true)
        #expect(DecoderHarness.decode("PUT / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n").status == 417)
    }
}
