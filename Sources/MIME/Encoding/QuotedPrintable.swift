import Codecs

/// Quoted-printable decoding (RFC 2045 §6.7) with the leniency real mail needs.
///
/// Soft line breaks (`=` before CRLF or LF, with optional transport whitespace between) are
/// removed, lowercase hex is accepted, an invalid escape keeps its `=` and the bytes after it
/// literally, and whitespace at the end of a line is dropped as the RFC asks.
public enum QuotedPrintable {
    /// Decodes a quoted-printable body.
    public static func decode(_ encoded: some Collection<UInt8>) -> [UInt8] {
        var state = QuotedPrintableDecoderState()
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count)
        state.feed(encoded, into: &output)
        state.finish(into: &output)
        return output
    }

    /// Decodes a quoted-printable string.
    public static func decode(_ encoded: String) -> [UInt8] {
        decode(Array(encoded.utf8))
    }

    /// Decodes the RFC 2047 "Q" encoding used inside encoded words: like quoted-printable,
    /// but `_` stands for a space and there are no line breaks.
    public static func decodeQEncoding(_ encoded: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(encoded)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.underscore {
                output.append(ASCII.space)
                index += 1
            } else if byte == ASCII.equals, index + 2 < bytes.count,
                      let high = HexDigit.value(bytes[index + 1]), let low = HexDigit.value(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }
}

/// The incremental quoted-printable decoder behind `QuotedPrintable.decode` and
/// `TransferDecoder`. It is a byte-at-a-time state machine, so a chunk may end anywhere
/// (inside `=\r\n`, between the two hex digits) and the output does not change.
struct QuotedPrintableDecoderState: Sendable {
    /// Whitespace held back to learn whether it ends a line. Capped so that a hostile line of
    /// spaces cannot grow memory beyond this: longer runs cannot be transport padding anyway.
    static let maxPendingWhitespace = 1000

    private enum Mode: Sendable {
        case text
        case equals
        case equalsHex(UInt8)
        case softBreakWhitespace
        case softBreakCR
    }

    private var mode: Mode = .text
    private var pendingWhitespace: [UInt8] = []
    private var pendingCR = false

    mutating func feed(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        for byte in bytes { feed(byte, into: &output) }
    }

    private mutating func feed(_ byte: UInt8, into output: inout [UInt8]) {
        switch mode {
        case .text:
            text(byte, into: &output)
        case .equals:
            if HexDigit.value(byte) != nil {
                mode = .equalsHex(byte)
            } else if ASCII.isWSP(byte) {
                pendingWhitespace.append(byte)
                mode = .softBreakWhitespace
            } else if byte == ASCII.cr {
                mode = .softBreakCR
            } else if byte == ASCII.lf {
                mode = .text
            } else {
                output.append(ASCII.equals)
                mode = .text
                text(byte, into: &output)
            }
        case .equalsHex(let first):
            mode = .text
            if let high = HexDigit.value(first), let low = HexDigit.value(byte) {
                output.append(high << 4 | low)
            } else {
                output.append(ASCII.equals)
                output.append(first)
                text(byte, into: &output)
            }
        case .softBreakWhitespace:
            if ASCII.isWSP(byte), pendingWhitespace.count < Self.maxPendingWhitespace {
                pendingWhitespace.append(byte)
            } else if byte == ASCII.cr {
                mode = .softBreakCR
            } else if byte == ASCII.lf {
                pendingWhitespace.removeAll(keepingCapacity: true)
                mode = .text
            } else {
                // Not a soft break after all: "=" followed by whitespace and text stays literal.
                output.append(ASCII.equals)
                mode = .text
                text(byte, into: &output)
            }
        case .softBreakCR:
            mode = .text
            if byte == ASCII.lf {
                pendingWhitespace.removeAll(keepingCapacity: true)
            } else {
                // "=" + whitespace + a CR that is not a line end: keep everything literally.
                output.append(ASCII.equals)
                output.append(contentsOf: pendingWhitespace)
                pendingWhitespace.removeAll(keepingCapacity: true)
                output.append(ASCII.cr)
                text(byte, into: &output)
            }
        }
    }

    /// Handles a byte of ordinary text. Whitespace is kept pending until we know whether it
    /// trails a line; a CR is kept pending until we know whether an LF follows.
    private mutating func text(_ byte: UInt8, into output: inout [UInt8]) {
        if pendingCR {
            pendingCR = false
            if byte == ASCII.lf {
                pendingWhitespace.removeAll(keepingCapacity: true)
                output.append(ASCII.cr)
                output.append(ASCII.lf)
                return
            }
            flushWhitespace(into: &output)
            output.append(ASCII.cr)
        }
        switch byte {
        case ASCII.space, ASCII.tab:
            if pendingWhitespace.count >= Self.maxPendingWhitespace { flushWhitespace(into: &output) }
            pendingWhitespace.append(byte)
        case ASCII.cr:
            pendingCR = true
        case ASCII.lf:
            pendingWhitespace.removeAll(keepingCapacity: true)
            output.append(ASCII.lf)
        case ASCII.equals:
            flushWhitespace(into: &output)
            mode = .equals
        default:
            flushWhitespace(into: &output)
            output.append(byte)
        }
    }

    private mutating func flushWhitespace(into output: inout [UInt8]) {
        if !pendingWhitespace.isEmpty {
            output.append(contentsOf: pendingWhitespace)
            pendingWhitespace.removeAll(keepingCapacity: true)
        }
    }

    /// Ends the input. Trailing whitespace of the last line is dropped like any other line's;
    /// a dangling `=` or `=X` is kept literally; `=` + whitespace at the very end is a soft break.
    mutating func finish(into output: inout [UInt8]) {
        switch mode {
        case .text:
            if pendingCR { output.append(ASCII.cr) }
        case .equals:
            output.append(ASCII.equals)
        case .equalsHex(let first):
            output.append(ASCII.equals)
            output.append(first)
        case .softBreakWhitespace, .softBreakCR:
            break
        }
        pendingWhitespace.removeAll()
        pendingCR = false
        mode = .text
    }
}
