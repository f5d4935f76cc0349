/// Hexadecimal digits, for percent-escapes, quoted-printable and chunk sizes.
public enum HexDigit {
    /// `0`–`9`, `A`–`F`: the case RFC 3986 §2.1 and RFC 2045 §6.7 ask producers to write.
    public static let uppercase: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// The value of one hex digit, either case; nil for any other byte.
    @inlinable
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
