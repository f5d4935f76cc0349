@testable import HTTPServer

/// What a decoder made of some bytes: the requests it completed, the bodies, and how it stopped.
struct DecodeOutcome: Equatable, CustomStringConvertible {
    struct Request: Equatable {
        var head: RequestHead
        var body: [UInt8]
        var complete: Bool
    }

    var requests: [Request] = []
    var error: HTTPParseError?
    /// Bytes left in the buffer when the decoder asked for more (a partial next request).
    var leftover: Int = 0

    var description: String {
        "requests: \(requests.map { "\($0.head.method) \($0.head.target) body=\($0.body.count) complete=\($0.complete)" }), error: \(String(describing: error)), leftover: \(leftover)"
    }

    var status: Int? { error?.status }
}

enum DecoderHarness {
    static let limits = HTTPParserLimits(maxTargetLength: 8 * 1024, maxHeaderBytes: 16 * 1024,
                                         maxHeaderCount: 100, maxBodyBytes: 1024 * 1024)

    /// Feeds `pieces` one after another, running the decoder dry after each.
    static func decode(_ pieces: [[UInt8]], limits: HTTPParserLimits = limits) -> DecodeOutcome {
        var decoder = HTTPRequestDecoder(limits: limits)
        var outcome = DecodeOutcome()
        for piece in pieces {
            decoder.feed(piece)
            do {
                loop: while true {
                    switch try decoder.next() {
                    case .needMore: break loop
                    case .head(let head): outcome.requests.append(.init(head: head, body: [], complete: false))
                    case .body(let bytes): outcome.requests[outcome.requests.count - 1].body += bytes
                    case .end: outcome.requests[outcome.requests.count - 1].complete = true
                    }
                }
            } catch {
                outcome.error = error
                return outcome
            }
        }
        outcome.leftover = decoder.buffer.readableCount
        return outcome
    }

    static func decode(_ text: String, limits: HTTPParserLimits = limits) -> DecodeOutcome {
        decode([Array(text.utf8)], limits: limits)
    }

    /// The outcome of feeding `bytes` whole, after checking that splitting them in two at every
    /// position gives the same outcome. Returns the whole-input outcome and the first split that differed.
    static func decodeSplitEverywhere(_ bytes: [UInt8], limits: HTTPParserLimits = limits) -> (DecodeOutcome, mismatchAt: Int?) {
        let whole = decode([bytes], limits: limits)
        for split in 1..<max(bytes.count, 1) {
            let parts = decode([Array(bytes[..<split]), Array(bytes[split...])], limits: limits)
            if parts != whole { return (whole, split) }
        }
        return (whole, nil)
    }

    /// Feeds one byte at a time.
    static func decodeBytewise(_ bytes: [UInt8], limits: HTTPParserLimits = limits) -> DecodeOutcome {
        decode(bytes.map { [$0] }, limits: limits)
    }
}

extension String {
    /// The string's UTF-8 bytes, for writing raw requests.
    var bytes: [UInt8] { Array(utf8) }
}
