import Codecs

/// Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself except
/// `&`, written `&-`; other characters are UTF-16 in modified base64 (`,` for `/`) between `&` and `-`.
public enum ModifiedUTF7 {

    /// Encodes a UTF-8 name for the wire.
    public static func encode(_ name: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            out.append(UInt8(ascii: "&"))
            var bytes: [UInt8] = []
            bytes.reserveCapacity(pending.count * 2)
            for unit in pending { bytes.append(UInt8(unit >> 8)); bytes.append(UInt8(unit & 0xFF)) }
            out += Base64.encode(bytes, alphabet: .imapMailbox, padding: false)
            out.append(UInt8(ascii: "-"))
            pending.removeAll(keepingCapacity: true)
        }
        for scalar in name.unicodeScalars {
            let value = scalar.value
            if value >= 0x20 && value <= 0x7E {
                flush()
                out.append(UInt8(value))
                if value == 0x26 { out.append(UInt8(ascii: "-")) }
            } else {
                pending.append(contentsOf: Array(String(scalar).utf16))
            }
        }
        flush()
        return out
    }

    /// Decodes a wire name; nil when the bytes are not valid modified UTF-7 (the caller keeps them raw).
    public static func decode(_ bytes: [UInt8]) -> String? {
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x20 && byte <= 0x7E else { return nil }
            if byte != UInt8(ascii: "&") {
                scalars.append(Unicode.Scalar(byte))
                index += 1
                continue
            }
            guard let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "-")) else { return nil }
            if end == index + 1 {
                scalars.append("&")
                index = end + 1
                continue
            }
            guard let units = decodeBase64(bytes[(index + 1)..<end]) else { return nil }
            var iterator = units.makeIterator()
            var decoder = UTF16()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    // Printable ASCII must not be base64-encoded (RFC 3501): reject such names.
                    if scalar.value >= 0x20 && scalar.value <= 0x7E { return nil }
                    scalars.append(scalar)
                case .emptyInput: break loop
                case .error: return nil
                }
            }
            index = end + 1
        }
        return String(scalars)
    }

    private static func decodeBase64(_ chars: ArraySlice<UInt8>) -> [UInt16]? {
        // Canonical only (no stray bits), and the bytes must form whole UTF-16 units.
        guard let bytes = Base64.decodeCanonical(chars, alphabet: .imapMailbox), bytes.count % 2 == 0, !bytes.isEmpty else {
            return nil
        }
        return stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }
}
