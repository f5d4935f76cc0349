/// Incremental tolerant base64 decoding (RFC 2045 §6.8) of the standard alphabet: behind
/// `Base64.decode` and MIME's streaming `TransferDecoder`. It holds at most three pending
/// sextets, so any chunking of the input gives the same output.
///
/// Bytes outside the alphabet (line breaks, spaces, junk) are skipped, missing padding is
/// accepted, and padding in the middle of the data starts a new group, which is what happens when
/// several base64 blobs are concatenated. The base64url letters `-` and `_` are junk here: MIME
/// never uses them, and a stray `--` line in a damaged body must not turn into data.
///
/// Inlinable: MIME's `TransferDecoder` feeds every downloaded base64 part through it, and an
/// unspecialised generic call per byte across the module boundary would cost several times the work.
public struct Base64StreamDecoder: Sendable {
    @usableFromInline var accumulator: UInt32 = 0
    @usableFromInline var count = 0

    public init() {}

    /// Decodes `bytes`, appending every completed group to `output`.
    @inlinable
    public mutating func feed(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        let values = Base64Alphabet.standard.values
        for byte in bytes {
            let value = values[Int(byte)]
            if value < 64 {
                accumulator = accumulator << 6 | UInt32(value)
                count += 1
                if count == 4 {
                    output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                    output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                    output.append(UInt8(truncatingIfNeeded: accumulator))
                    accumulator = 0
                    count = 0
                }
            } else if byte == UInt8(ascii: "=") {
                // Padding closes the current group; a lone `=` with nothing pending is ignored.
                flushPartialGroup(into: &output)
            }
        }
    }

    /// Ends the input; the decoder can be reused afterwards.
    @inlinable
    public mutating func finish(into output: inout [UInt8]) {
        flushPartialGroup(into: &output)
    }

    /// Emits what 2 or 3 pending sextets carry; a single sextet holds less than a byte and is dropped.
    @usableFromInline
    mutating func flushPartialGroup(into output: inout [UInt8]) {
        switch count {
        case 2:
            output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        case 3:
            output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        default:
            break
        }
        accumulator = 0
        count = 0
    }
}
