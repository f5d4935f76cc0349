/// Character classes of RFC 3501's formal syntax, on bytes.
enum IMAPSyntax {
    /// ATOM-CHAR: any CHAR except atom-specials `( ) { SP CTL % * " \ ]`.
    static func isAtomChar(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "*"),
             UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "]"):
            return false
        default:
            return true
        }
    }

    static func isAtom(_ bytes: [UInt8]) -> Bool { !bytes.isEmpty && bytes.allSatisfy(isAtomChar) }

    /// A stricter atom for user values (user names): letters, digits and `-._@+`, never `NIL`, so
    /// no server can read it as anything but the string it is.
    static func isSafeAtom(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        if bytes.count == 3, String(decoding: bytes, as: UTF8.self).uppercased() == "NIL" { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "+")
        }
    }

    /// Whether a value can be a quoted string: no CR, LF or NUL, 7-bit (or UTF-8 once UTF8=ACCEPT
    /// is enabled), and short enough to keep the line short.
    static func isQuotable(_ bytes: [UInt8], utf8Accepted: Bool) -> Bool {
        guard bytes.count <= CommandEncoder.maxQuotedLength else { return false }
        for byte in bytes {
            if byte == 0 || byte == 13 || byte == 10 { return false }
            if byte >= 0x80 && !utf8Accepted { return false }
        }
        if utf8Accepted, bytes.contains(where: { $0 >= 0x80 }) {
            // Only well-formed UTF-8 may go quoted; anything else is sent as a literal.
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
        return true
    }
}
