/// A bare "utf-16" label (RFC 2781 §4.3): the byte order mark decides, and without one the text
/// is big-endian. glibc's iconv reads BOM-less "UTF-16" as little-endian, so the choice is made here.
enum UTF16ByteOrder {
    /// The iconv name for `bytes`, with a leading byte order mark removed.
    static func resolve(_ bytes: inout [UInt8]) -> String {
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE {
            bytes.removeFirst(2)
            return "UTF-16LE"
        }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { bytes.removeFirst(2) }
        return "UTF-16BE"
    }
}
