/// How a charset label from a header is read.
///
/// Labels are normalised the way browsers do (WHATWG Encoding): subsets are widened to the
/// superset real senders use (gb2312 → GB18030, shift_jis → CP932, iso-8859-1 → windows-1252),
/// and everything else goes to iconv under its own name.
enum CharsetReader: Equatable, Sendable {
    case utf8
    /// us-ascii: 8-bit bytes mean the label is wrong.
    case ascii
    case windows1252
    case iconv(String)
    /// A label that must not reach iconv (empty, too long, with `//` suffixes or odd bytes).
    case invalid

    init(label: String) {
        let cleaned = Self.clean(label)
        switch cleaned {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "utf-8n":
            self = .utf8
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "iso-ir-6", "cp367", "ibm367", "csascii", "ansi_x3.4-1986":
            self = .ascii
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "iso-ir-100",
             "csisolatin1", "iso_8859-1:1987", "iso88591", "windows-1252", "cp1252", "x-cp1252", "win-1252", "cp-1252":
            self = .windows1252
        case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb18030", "euc-cn", "x-euc-cn", "csgb2312",
             "chinese", "gb_2312-80", "iso-ir-58", "csiso58gb231280", "gb_2312":
            self = .iconv("GB18030")
        case "big5", "x-big5", "big5-hkscs", "cn-big5", "csbig5", "big-5", "big5hkscs":
            self = .iconv("BIG5-HKSCS")
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932", "ms932", "x-ms-cp932":
            self = .iconv("CP932")
        case "euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ks_c_5601", "korean", "cp949", "windows-949", "csksc56011987", "iso-ir-149", "ksc5601":
            self = .iconv("CP949")
        case "iso-8859-8-i", "iso-8859-8-e", "csiso88598i":
            self = .iconv("ISO-8859-8")
        case "iso-8859-6-i", "iso-8859-6-e":
            self = .iconv("ISO-8859-6")
        case "unicode-1-1-utf-7", "utf-7", "x-utf-7", "csunicode11utf7":
            self = .iconv("UTF-7")
        case "x-mac-roman", "macintosh", "mac", "x-mac":
            self = .iconv("MACINTOSH")
        case "tis-620", "windows-874", "cp874", "iso-8859-11":
            self = .iconv("CP874")
        case "":
            self = .invalid
        default:
            let allowed = cleaned.utf8.allSatisfy { ASCII.isAlpha($0) || ASCII.isDigit($0) || $0 == ASCII.minus || $0 == ASCII.underscore || $0 == ASCII.dot || $0 == ASCII.colon || $0 == ASCII.plus }
            self = allowed && cleaned.utf8.count <= 40 ? .iconv(cleaned.uppercased()) : .invalid
        }
    }

    /// Lowercases, trims spaces and quotes, and drops an RFC 2231 language suffix (`utf-8*en`).
    static func clean(_ label: String) -> String {
        var bytes = Array(label.utf8).trimmingWhitespace()
        if let star = bytes.firstIndex(of: ASCII.asterisk) { bytes.removeSubrange(star...) }
        while let first = bytes.first, first == ASCII.quote || first == ASCII.apostrophe { bytes.removeFirst() }
        while let last = bytes.last, last == ASCII.quote || last == ASCII.apostrophe { bytes.removeLast() }
        return String(utf8Bytes: bytes.trimmingWhitespace().asciiLowercased())
    }
}
