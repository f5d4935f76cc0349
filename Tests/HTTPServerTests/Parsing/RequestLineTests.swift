import Testing
@testable import HTTPServer

/// RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF
@Suite("Request line")
struct RequestLineTests {
    @Test("a plain GET is parsed, split at every byte position alike")
    func plainGet() {
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere("GET /health HTTP/1.1\r\nHost: a\r\n\r\n".bytes)
        #expect(mismatch == nil)
        #expect(outcome.error == nil)
        #expect(outcome.requests.count == 1)
        let head = outcome.requests[0].head
        #expect(head.method == .get)
        #expect(head.target == "/health")
        #expect(head.version == .http1_1)
        #expect(head.keepAlive)
        #expect(head.framing == .none)
        #expect(outcome.requests[0].complete)
    }

    @Test("fed one byte at a time, the head is the same")
    func bytewise() {
        let input = "POST /folders?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n\r\nabc".bytes
        #expect(DecoderHarness.decodeBytewise(input) == DecoderHarness.decode([input]))
    }

    @Test("empty lines before the request line are ignored (RFC 9112 §2.2)")
    func leadingEmptyLines() {
        let outcome = DecoderHarness.decode("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.requests.count == 1)
    }

    @Test("malformed request lines are 400", arguments: [
        "GET  / HTTP/1.1\r\n",            // two spaces
        "GET /\r\n",                      // HTTP/0.9 style, no version
        "GET / HTTP/1.1 \r\n",            // trailing space
        "GET\t/ HTTP/1.1\r\n",            // tab is not SP
        "G(T / HTTP/1.1\r\n",             // '(' is not a tchar
        " GET / HTTP/1.1\r\n",            // leading space
        "GET / http/1.1\r\n",             // version is case-sensitive
        "GET / HTTP/1\r\n",
        "GET / HTTP/1.10\r\n",
        "GET / HTTP/a.b\r\n",
        "GET /\u{7F} HTTP/1.1\r\n",       // DEL in target
        "GET /a\u{00}b HTTP/1.1\r\n",     // NUL in target
        "GET /a\rb HTTP/1.1\r\n",         // bare CR in the request line
        "GET / HTTP/1.1\n",               // bare LF ends the line
    ])
    func malformed(_ line: String) {
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere((line + "Host: a\r\n\r\n").bytes)
        #expect(mismatch == nil)
        #expect(outcome.status == 400, "\(outcome)")
        #expect(outcome.requests.isEmpty)
    }

    @Test("HTTP/2.0, HTTP/3.0 and HTTP/0.9 are 505", arguments: ["HTTP/2.0", "HTTP/3.0", "HTTP/0.9"])
    func unsupportedVersion(_ version: String) {
        let outcome = DecoderHarness.decode("GET / \(version)\r\nHost: a\r\n\r\n")
        #expect(outcome.status == 505)
    }

    @Test("the HTTP/2 connection preface gets a clear 505 as soon as its first line is in")
    func http2Preface() {
        let outcome = DecoderHarness.decode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        #expect(outcome.error == .unsupportedVersion("HTTP/2.0"))
        #expect(outcome.status == 505)
        #expect(DecoderHarness.decode("PRI * HTTP/2.0\r\n").status == 505)
    }

    @Test("HTTP/1.0 is served; keep-alive only when asked for")
    func http10() {
        let plain = DecoderHarness.decode("GET / HTTP/1.0\r\n\r\n")
        #expect(plain.error == nil)
        #expect(plain.requests.first?.head.keepAlive == false)
        let keepAlive = DecoderHarness.decode("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(keepAlive.requests.first?.head.keepAlive == true)
        let close = DecoderHarness.decode("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n")
        #expect(close.requests.first?.head.keepAlive == false)
    }

    @Test("a target over the limit is 414, even before the line is complete")
    func targetTooLong() {
        let long = "/" + String(repeating: "a", count: 8 * 1024)
        let complete = DecoderHarness.decode("GET \(long) HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(complete.status == 414)
        let partial = DecoderHarness.decode("GET \(long)\(String(repeating: "b", count: 100))")
        #expect(partial.status == 414)
        let atLimit = DecoderHarness.decode("GET \(String(long.dropLast())) HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(atLimit.error == nil)
    }

    @Test("any method token is parsed; the router decides about it")
    func extensionMethod() {
        let outcome = DecoderHarness.decode("PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(outcome.requests.first?.head.method == HTTPMethod(rawValue: "PROPFIND"))
    }

    @Test("absolute-form targets are accepted")
    func absoluteForm() throws {
        let request = try HTTPRequest(method: .get, target: "http://example.com/folders/INBOX?limit=2")
        #expect(request.path == "/folders/INBOX")
        #expect(request.pathSegments == ["folders", "INBOX"])
        #expect(request.query["limit"] == "2")
    }
}
