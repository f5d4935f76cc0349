/// Standard base64 (RFC 4648) for SASL exchanges; small enough to keep the module free of Foundation.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encode(bytes, alphabet: alphabet, padding: true), as: UTF8.self)
    }

    /// Base64 of `bytes` in `alphabet` (64 letters); without `padding` the last quad is cut short
    /// instead of ending in `=`, as modified UTF-7 writes it.
    static func encode(_ bytes: [UInt8], alphabet: [UInt8], padding: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            if index + 1 < bytes.count {
                out.append(alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)])
            } else if padding {
                out.append(UInt8(ascii: "="))
            }
            if index + 2 < bytes.count {
                out.append(alphabet[Int(b2 & 0x3F)])
            } else if padding {
                out.append(UInt8(ascii: "="))
            }
            index += 3
        }
        return out
    }
}
