/// Tolerant base64 decoding (RFC 2045 §6.8) as found in real mail.
///
/// Characters outside the alphabet (line breaks, spaces, junk) are skipped, missing padding is
/// accepted, and padding in the middle of the data starts a new group, which is what happens
/// when several base64 blobs are concatenated.
public enum Base64 {
    /// Decodes base64 bytes, skipping anything that is not part of the alphabet.
    public static func decode(_ encoded: some Collection<UInt8>) -> [UInt8] {
        var state = Base64DecoderState()
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count / 4 * 3 + 3)
        state.feed(encoded, into: &output)
        state.finish(into: &output)
        return output
    }

    /// Decodes a base64 string (same tolerance as the byte variant).
    public static func decode(_ encoded: String) -> [UInt8] {
        decode(Array(encoded.utf8))
    }

    /// Encodes bytes as base64 without line breaks (used by tests and by callers that build mail).
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let alphabet = Base64DecoderState.alphabet
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = iterator.next()
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            if let b1 {
                out.append(alphabet[Int((b1 & 0x0F) << 2 | (b2 ?? 0) >> 6)])
            } else {
                out.append(ASCII.equals)
            }
            if let b2 {
                out.append(alphabet[Int(b2 & 0x3F)])
            } else {
                out.append(ASCII.equals)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The incremental core shared by `Base64.decode` and `TransferDecoder`: it holds at most
/// three pending sextets, so any chunking of the input gives the same output.
struct Base64DecoderState: Sendable {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Sextet value per byte; 0xFF for bytes outside the alphabet, 0xFE for `=`.
    /// The base64url letters `-` and `_` are junk here: MIME never uses them, and a stray
    /// `--` line in a damaged body must not turn into data.
    static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(ASCII.equals)] = 0xFE
        return table
    }()

    private var accumulator: UInt32 = 0
    private var count = 0

    mutating func feed(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        let table = Self.table
        for byte in bytes {
            let value = table[Int(byte)]
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
            } else if value == 0xFE {
                // Padding closes the current group; a lone `=` with nothing pending is ignored.
                flushPartialGroup(into: &output)
            }
        }
    }

    mutating func finish(into output: inout [UInt8]) {
        flushPartialGroup(into: &output)
    }

    /// Emits what 2 or 3 pending sextets carry; a single sextet holds less than a byte and is dropped.
    private mutating func flushPartialGroup(into output: inout [UInt8]) {
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
