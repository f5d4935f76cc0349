import Testing
@testable import HTTPServer

/// RFC 9112 §6: message body length, and the request-smuggling vectors around it.
@Suite("Body framing")
struct BodyFramingTests {
    @Test("Content-Length delimits the body; the next pipelined request follows")
    func contentLength() {
        let input = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: h\r\n\r\n"
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere(input.bytes)
        #expect(mismatch == nil)
        #expect(outcome.error == nil)
        #expect(outcome.requests.count == 2)
        #expect(outcome.requests[0].body == "hello".bytes)
        #expect(outcome.requests[0].complete)
        #expect(outcome.requests[1].head.target == "/b")
    }

    @Test("three pipelined requests come out in order")
    func pipelined() {
        let input = ["/1", "/2", "/3"].map { "GET \($0) HTTP/1.1\r\nHost: h\r\n\r\n" }.joined()
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere(input.bytes)
        #expect(mismatch == nil)
        #expect(outcome.requests.map(\.head.target) == ["/1", "/2", "/3"])
    }

    @Test("Content-Length: 0 means no body; equal duplicates and lists are one length")
    func lengthVariants() {
        #expect(DecoderHarness.decode("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").requests.first?.head.framing == BodyFraming.none)
        let twice = DecoderHarness.decode("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc")
        #expect(twice.requests.first?.body == "abc".bytes)
        let list = DecoderHarness.decode("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc")
        #expect(list.requests.first?.body == "abc".bytes)
    }

    @Test("bad Content-Length values are 400", arguments: [
        "Content-Length: -1", "Content-Length: +5", "Content-Length: 5a", "Content-Length: 0x10",
        "Content-Length: ", "Content-Length: 1 2", "Content-Length: 99999999999999999999",
        "Content-Length: 3, 4", "Content-Length: 3\r\nContent-Length: 4", "Content-Length: 3,",
    ])
    func badContentLength(_ field: String) {
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere("POST / HTTP/1.1\r\nHost: h\r\n\(field)\r\n\r\nabc".bytes)
        #expect(mismatch == nil)
        #expect(outcome.status == 400, "\(field): \(outcome)")
    }

    @Test("CL.TE and TE.CL: Content-Length with Transfer-Encoding is 400 in either order")
    func contentLengthWithTransferEncoding() {
        let clte = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG"
        let tecl = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n"
        #expect(DecoderHarness.decode(clte).error == .contentLengthWithTransferEncoding)
        #expect(DecoderHarness.decode(tecl).error == .contentLengthWithTransferEncoding)
    }

    @Test("TE.TE: obfuscated Transfer-Encoding values are refused, never half-understood", arguments: [
        ("Transfer-Encoding: xchunked", 400),
        ("Transfer-Encoding: chunked, identity", 400),
        ("Transfer-Encoding: identity", 400),
        ("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity", 400),
        ("Transfer-Encoding: chunked, chunked", 400),
        ("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", 400),
        ("Transfer-Encoding: chunked;q=1", 400),
        ("Transfer-Encoding: \"chunked\"", 400),
        ("Transfer-Encoding:", 400),
        ("Transfer-Encoding: gzip, chunked", 501),
        ("Transfer-Encoding:\r\n chunked", 400),          // obs-fold
        ("Transfer-Encoding : chunked", 400),             // whitespace before colon
        ("Transfer-Encoding\t: chunked", 400),
        ("Transfer-Encoding: \u{0B}chunked", 400),        // vertical tab
        ("Transfer_Encoding: chunked\r\nContent-Length: 3", -1),  // a different header: CL frames it
    ])
    func obfuscatedTransferEncoding(_ field: String, _ status: Int) {
        let input = "POST / HTTP/1.1\r\nHost: h\r\n\(field)\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere(input.bytes)
        #expect(mismatch == nil)
        if status == -1 {
            // Content-Length frames it; what follows is parsed as the next request, and fails as one.
            #expect(outcome.requests.count == 1)
            #expect(outcome.requests.first?.body == "3\r\n".bytes)
            #expect(outcome.status == 400)
        } else {
            #expect(outcome.status == status, "\(field): \(outcome)")
        }
    }

    @Test("Transfer-Encoding in HTTP/1.0 is 400: that version has no chunked coding")
    func transferEncodingInHTTP10() {
        #expect(DecoderHarness.decode("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").status == 400)
    }

    @Test("case-insensitive 'Chunked' is chunked")
    func chunkedCaseInsensitive() {
        let outcome = DecoderHarness.decode("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n")
        #expect(outcome.requests.first?.head.framing == .chunked)
        #expect(outcome.requests.first?.complete == true)
    }

    @Test("a body over the limit is 413")
    func bodyTooLarge() {
        let limits = HTTPParserLimits(maxBodyBytes: 4)
        let fixed = DecoderHarness.decode("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", limits: limits)
        #expect(fixed.error == .bodyTooLarge(limit: 4))
        let chunked = DecoderHarness.decode("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", limits: limits)
        #expect(chunked.error == .bodyTooLarge(limit: 4))
        #expect(chunked.status == 413)
    }
}
