import Codecs

/// Streaming `Content-Transfer-Encoding` decoder.
///
/// Feed it chunks split anywhere (inside a base64 quad, inside `=\r\n`, between the hex digits
/// of an escape) and the concatenated output equals the one-shot decoding of the whole input.
/// It holds at most a few bytes of state (plus at most 1000 bytes of held-back whitespace for
/// quoted-printable), so memory stays bounded by the chunk size.
///
/// ```swift
/// var decoder = TransferDecoder(encoding: .base64)
/// for chunk in chunks { send(decoder.decode(chunk)) }
/// send(decoder.finish())
/// ```
public struct TransferDecoder: Sendable {
    private enum Core: Sendable {
        case base64(Base64StreamDecoder)
        case quotedPrintable(QuotedPrintableDecoderState)
        case identity
    }

    private var core: Core

    /// The encoding this decoder undoes.
    public let encoding: ContentTransferEncoding

    /// A decoder for the given encoding; 7bit, 8bit, binary and unknown encodings pass bytes through.
    public init(encoding: ContentTransferEncoding) {
        self.encoding = encoding
        switch encoding {
        case .base64: core = .base64(Base64StreamDecoder())
        case .quotedPrintable: core = .quotedPrintable(QuotedPrintableDecoderState())
        case .sevenBit, .eightBit, .binary, .other: core = .identity
        }
    }

    /// A decoder for a `Content-Transfer-Encoding` header value or BODYSTRUCTURE encoding field.
    public init(headerValue: String?) {
        self.init(encoding: ContentTransferEncoding(headerValue: headerValue))
    }

    /// Decodes the next chunk and returns the bytes it completes.
    public mutating func decode(_ chunk: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        switch core {
        case .base64(var state):
            core = .identity  // drop the second reference so the state is mutated in place
            output.reserveCapacity(chunk.count / 4 * 3 + 3)
            state.feed(chunk, into: &output)
            core = .base64(state)
        case .quotedPrintable(var state):
            core = .identity  // drop the second reference so the held-back bytes are not copied
            output.reserveCapacity(chunk.count)
            state.feed(chunk, into: &output)
            core = .quotedPrintable(state)
        case .identity:
            output = Array(chunk)
        }
        return output
    }

    /// Ends the input and returns whatever the held-back state still decodes to.
    /// The decoder can be reused afterwards for a new body.
    public mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        switch core {
        case .base64(var state):
            state.finish(into: &output)
            core = .base64(state)
        case .quotedPrintable(var state):
            state.finish(into: &output)
            core = .quotedPrintable(state)
        case .identity:
            break
        }
        return output
    }
}
