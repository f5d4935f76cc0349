/// Encodes a mailbox name as IMAP modified UTF-7 (RFC 3501 §5.1.3), the form Dovecot's
/// maildir storage uses for directory names. Private to TestSupport on purpose: the product's
/// own codec lives in the IMAP module and must not be tested against itself.
enum ModifiedUTF7 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

    static func encode(_ name: String) -> String {
        var out: [UInt8] = []
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            out.append(UInt8(ascii: "&"))
            var bytes: [UInt8] = []
            for unit in pending { bytes += [UInt8(unit >> 8), UInt8(unit & 0xff)] }
            var index = 0
            while index < bytes.count {
                let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
                let b0 = chunk[0], b1 = chunk.count > 1 ? chunk[1] : 0, b2 = chunk.count > 2 ? chunk[2] : 0
                out.append(alphabet[Int(b0 >> 2)])
                out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
                if chunk.count > 1 { out.append(alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)]) }
                if chunk.count > 2 { out.append(alphabet[Int(b2 & 0x3f)]) }
                index += 3
            }
            out.append(UInt8(ascii: "-"))
            pending.removeAll()
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7e {
                flush()
                out.append(UInt8(scalar.value))
                if scalar == "&" { out.append(UInt8(ascii: "-")) }
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
    }
}
