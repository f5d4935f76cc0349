/// Base64 (RFC 4648), the one implementation in the project: IMAP (SASL, modified UTF-7), MIME
/// (bodies, encoded words) and the gateway (cursors, tickets) all call it.
public enum Base64 {
    /// Base64 of `bytes` in `alphabet`; without `padding` the last quad is cut short instead of
    /// ending in `=` (modified UTF-7, base64url cursors).
    public static func encode(_ bytes: some Collection<UInt8>, alphabet: Base64Alphabet, padding: Bool) -> [UInt8] {
        let letters = alphabet.letters
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = b1 == nil ? nil : iterator.next()
            out.append(letters[Int(b0 >> 2)])
            out.append(letters[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            if let b1 {
                out.append(letters[Int((b1 & 0x0F) << 2 | (b2 ?? 0) >> 6)])
            } else if padding {
                out.append(UInt8(ascii: "="))
            }
            if let b2 {
                out.append(letters[Int(b2 & 0x3F)])
            } else if padding {
                out.append(UInt8(ascii: "="))
            }
        }
        return out
    }

    /// Standard padded base64 without line breaks, as text.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encode(bytes, alphabet: .standard, padding: true), as: UTF8.self)
    }

    /// Tolerant decoding (RFC 2045 §6.8) as found in real mail: see `Base64StreamDecoder`.
    @inlinable
    public static func decode(_ encoded: some Collection<UInt8>) -> [UInt8] {
        var decoder = Base64StreamDecoder()
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count / 4 * 3 + 3)
        decoder.feed(encoded, into: &output)
        decoder.finish(into: &output)
        return output
    }

    /// Decodes a base64 string (same tolerance as the byte variant).
    public static func decode(_ encoded: String) -> [UInt8] {
        decode(Array(encoded.utf8))
    }

    /// Strict decoding of unpadded base64: nil unless every byte is a letter of `alphabet`, the
    /// length is not 1 more than a multiple of 4, and the unused low bits of the last letter are
    /// zero. So exactly one text decodes to given bytes, and re-encoding gives the input back:
    /// an edited cursor or mailbox name cannot pass as another spelling of the same bytes.
    public static func decodeCanonical(_ encoded: some Collection<UInt8>, alphabet: Base64Alphabet) -> [UInt8]? {
        guard encoded.count % 4 != 1 else { return nil }
        let values = alphabet.values
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count * 3 / 4)
        var group: UInt32 = 0
        var bits = 0
        for letter in encoded {
            let value = values[Int(letter)]
            guard value != 0xFF else { return nil }
            group = (group << 6 | UInt32(value)) & 0xFFFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: group >> UInt32(bits)))
            }
        }
        guard group & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return bytes
    }
}
