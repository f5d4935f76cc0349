/// How a charset label from a header is read.
///
/// Order of lookups, first match wins:
/// 1. the labels that mean US-ASCII (`MailCharsetLabels.asciiLabels`);
/// 2. the WHATWG Encoding Standard's label table (`WHATWGEncodingLabels`), the list browsers use;
/// 3. labels mail software writes that browsers do not know (`MailCharsetLabels`), tried as
///    written and with `_` read as `-` (Python's `utf_8`, `euc_jp`);
/// 4. iconv under the label itself (it knows `cp850`, `iso-2022-jp-2`, ...);
/// 5. nothing knows it: `Charset.decode` tries UTF-8, then windows-1252, and reports which.
///
/// Each encoding is then decoded by the iconv converter that matches what browsers do: the
/// WHATWG `gbk` decoder is GB18030, `big5` is Big5-HKSCS, `shift_jis` is CP932, `euc-kr` is
/// CP949, `windows-874` is CP874, `iso-8859-8-i` is ISO-8859-8.
enum CharsetReader: Equatable, Sendable {
    case utf8
    /// us-ascii: 8-bit bytes mean the label is wrong.
    case ascii
    case windows1252
    case iconv(String)
    /// HZ-GB-2312 (RFC 1843), which iconv in glibc lacks.
    case hz
    /// WHATWG x-user-defined: bytes 0x80–0xFF are U+F780–U+F7FF.
    case userDefined
    /// A label that must not reach iconv (empty, too long, with `//` suffixes or odd bytes).
    case invalid

    init(label: String) {
        let cleaned = Self.clean(label)
        if MailCharsetLabels.asciiLabels.contains(cleaned) {
            self = .ascii
            return
        }
        if let encoding = WHATWGEncodingLabels.encoding(forLabel: cleaned) ?? Self.mailEncoding(cleaned) {
            self = Self.reader(forEncoding: encoding, label: cleaned)
            return
        }
        if cleaned.isEmpty {
            self = .invalid
            return
        }
        let allowed = cleaned.utf8.allSatisfy { ASCII.isAlpha($0) || ASCII.isDigit($0) || $0 == ASCII.minus || $0 == ASCII.underscore || $0 == ASCII.dot || $0 == ASCII.colon || $0 == ASCII.plus }
        self = allowed && cleaned.utf8.count <= 40 ? .iconv(cleaned.uppercased()) : .invalid
    }

    /// A label from the mail-only table, as written or with underscores as hyphens.
    private static func mailEncoding(_ label: String) -> String? {
        if let encoding = MailCharsetLabels.encodingByLabel[label] { return encoding }
        guard label.utf8.contains(ASCII.underscore) else { return nil }
        let hyphenated = String(utf8Bytes: label.utf8.map { $0 == ASCII.underscore ? ASCII.minus : $0 })
        return WHATWGEncodingLabels.encoding(forLabel: hyphenated) ?? MailCharsetLabels.encodingByLabel[hyphenated]
    }

    /// The reader for a WHATWG (or mail-only) encoding name.
    private static func reader(forEncoding encoding: String, label: String) -> CharsetReader {
        switch encoding {
        case "utf-8": return .utf8
        case "windows-1252": return .windows1252
        case "gbk", "gb18030": return .iconv("GB18030")
        case "big5": return .iconv("BIG5-HKSCS")
        case "shift_jis": return .iconv("CP932")
        case "euc-kr": return .iconv("CP949")
        case "windows-874": return .iconv("CP874")
        case "iso-8859-8-i": return .iconv("ISO-8859-8")
        case "x-mac-cyrillic": return .iconv("MAC-CYRILLIC")
        case "x-user-defined": return .userDefined
        case "hz-gb-2312": return .hz
        case "utf-16le":
            // Mail follows RFC 2781: a bare "utf-16" is big-endian unless a BOM says otherwise,
            // which iconv's UTF-16 does; browsers default to little-endian instead.
            return label == "utf-16" ? .iconv("UTF-16") : .iconv("UTF-16LE")
        case "replacement":
            // Browsers refuse ISO-2022-KR/-CN and HZ to stop script smuggling in web pages; in
            // mail they are real (RFC 1557, RFC 1922, RFC 1843), so they are decoded.
            return label == "hz-gb-2312" ? .hz : .iconv(label.uppercased())
        case "windows-1250", "windows-1251", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
             "windows-1257", "windows-1258":
            return .iconv("CP" + encoding.dropFirst("windows-".count))
        default:
            // ibm866, iso-8859-*, koi8-*, macintosh, euc-jp, iso-2022-jp, utf-16be, utf-7, iso-2022-*:
            // iconv knows these under the same name.
            return .iconv(encoding.uppercased())
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
