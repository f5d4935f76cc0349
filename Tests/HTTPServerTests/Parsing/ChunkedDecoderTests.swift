import Testing
@testable import HTTPServer

/// RFC 9112 §7.1: the chunked transfer coding.
@Suite("Chunked request bodies")
struct ChunkedDecoderTests {
    private func request(_ body: String) -> [UInt8] {
        "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\(body)".bytes
    }

    @Test("chunks, extensions and trailers decode; the next request follows; any split gives the same")
    func decodes() {
        let input = request("5\r\nhello\r\na;name=value\r\n, world!!!\r\n0;last\r\nX-Trailer: t\r\n\r\n")
            + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n".bytes
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere(input)
        #expect(mismatch == nil)
        #expect(outcome.error == nil)
        #expect(outcome.requests.count == 2)
        #expect(outcome.requests[0].body == "hello, world!!!".bytes)
        #expect(outcome.requests[0].complete)
        #expect(outcome.requests[1].head.target == "/next")
    }

    @Test("upper-case hex and leading zeros are sizes too")
    func hexSizes() {
        let outcome = DecoderHarness.decode([request("0000A\r\n0123456789\r\n00\r\n\r\n")])
        #expect(outcome.requests.first?.body.count == 10)
    }

    @Test("an incomplete body asks for more instead of failing")
    func incomplete() {
        let outcome = DecoderHarness.decode([request("5\r\nhel")])
        #expect(outcome.error == nil)
        #expect(outcome.requests.first?.complete == false)
        #expect(outcome.requests.first?.body == "hel".bytes)
    }

    @Test("malformed chunk framing is 400", arguments: [
        ("no size", "\r\nhello\r\n0\r\n\r\n"),
        ("non-hex size", "g\r\nhello\r\n0\r\n\r\n"),
        ("negative size", "-5\r\nhello\r\n0\r\n\r\n"),
        ("size with 0x", "0x5\r\nhello\r\n0\r\n\r\n"),
        ("space inside size", "5 5\r\nhello\r\n0\r\n\r\n"),
        ("data longer than size", "3\r\nhello\r\n0\r\n\r\n"),
        ("bare LF after size", "5\nhello\r\n0\r\n\r\n"),
        ("bare LF after data", "5\r\nhello\n0\r\n\r\n"),
        ("bare CR in extension", "5;a\rb\r\nhello\r\n0\r\n\r\n"),
        ("LF alone in last chunk", "0\n\r\n"),
        ("trailer without colon", "0\r\nnot a field\r\n\r\n"),
        ("folded trailer", "0\r\nX-T: a\r\n b\r\n\r\n"),
    ])
    func malformed(_ name: String, _ body: String) {
        let (outcome, mismatch) = DecoderHarness.decodeSplitEverywhere(request(body))
        #expect(mismatch == nil, "\(name)")
        #expect(outcome.status == 400, "\(name): \(outcome)")
    }

    @Test("oversized chunk sizes are 400 rather than an overflow", arguments: [
        "FFFFFFFFFFFFFFFFF", "10000000000000000", "7FFFFFFFFFFFFFFF",
    ])
    func oversized(_ size: String) {
        let outcome = DecoderHarness.decode([request("\(size)\r\nabc")])
        #expect(outcome.error == .chunkSizeTooLarge)
        #expect(outcome.status == 400)
    }

    @Test("a chunk-size line of endless extensions is cut off")
    func endlessExtension() {
        let outcome = DecoderHarness.decode([request("5;" + String(repeating: "x", count: 5000))])
        #expect(outcome.error == .chunkSizeTooLarge)
    }
}
