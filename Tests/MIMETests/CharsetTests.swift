import Testing
@testable import MIME

@Suite("Charset decoding via iconv and built-in readers")
struct CharsetTests {
    /// (declared charset, expected text, bytes in that charset) — bytes produced by Python's codecs.
    static let fixtures: [(String, String, [UInt8])] = [
        ("us-ascii", "Hello, world!", [0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x2C, 0x20, 0x77, 0x6F, 0x72, 0x6C, 0x64, 0x21]),
        ("utf-8", "Grüße, 世界 🎉", [0x47, 0x72, 0xC3, 0xBC, 0xC3, 0x9F, 0x65, 0x2C, 0x20, 0xE4, 0xB8, 0x96, 0xE7, 0x95, 0x8C, 0x20, 0xF0, 0x9F, 0x8E, 0x89]),
        ("UTF8", "Grüße", [0x47, 0x72, 0xC3, 0xBC, 0xC3, 0x9F, 0x65]),
        ("iso-8859-1", "Grüße aus Köln", [0x47, 0x72, 0xFC, 0xDF, 0x65, 0x20, 0x61, 0x75, 0x73, 0x20, 0x4B, 0xF6, 0x6C, 0x6E]),
        ("ISO-8859-2", "Zażółć gęślą", [0x5A, 0x61, 0xBF, 0xF3, 0xB3, 0xE6, 0x20, 0x67, 0xEA, 0xB6, 0x6C, 0xB1]),
        ("iso-8859-15", "Preis: 5 €", [0x50, 0x72, 0x65, 0x69, 0x73, 0x3A, 0x20, 0x35, 0x20, 0xA4]),
        ("iso-8859-5", "Привет", [0xBF, 0xE0, 0xD8, 0xD2, 0xD5, 0xE2]),
        ("iso-8859-7", "Καλημέρα", [0xCA, 0xE1, 0xEB, 0xE7, 0xEC, 0xDD, 0xF1, 0xE1]),
        ("windows-1250", "Příliš žluťoučký", [0x50, 0xF8, 0xED, 0x6C, 0x69, 0x9A, 0x20, 0x9E, 0x6C, 0x75, 0x9D, 0x6F, 0x75, 0xE8, 0x6B, 0xFD]),
        ("windows-1251", "Привет, мир", [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2, 0x2C, 0x20, 0xEC, 0xE8, 0xF0]),
        ("windows-1252", "“Smart” quotes – dash €", [0x93, 0x53, 0x6D, 0x61, 0x72, 0x74, 0x94, 0x20, 0x71, 0x75, 0x6F, 0x74, 0x65, 0x73, 0x20, 0x96, 0x20, 0x64, 0x61, 0x73, 0x68, 0x20, 0x80]),
        ("windows-1253", "Καλημέρα", [0xCA, 0xE1, 0xEB, 0xE7, 0xEC, 0xDD, 0xF1, 0xE1]),
        ("windows-1254", "Günaydın", [0x47, 0xFC, 0x6E, 0x61, 0x79, 0x64, 0xFD, 0x6E]),
        ("windows-1255", "שלום", [0xF9, 0xEC, 0xE5, 0xED]),
        ("windows-1256", "مرحبا", [0xE3, 0xD1, 0xCD, 0xC8, 0xC7]),
        ("windows-1257", "Labas rytas ąčę", [0x4C, 0x61, 0x62, 0x61, 0x73, 0x20, 0x72, 0x79, 0x74, 0x61, 0x73, 0x20, 0xE0, 0xE8, 0xE6]),
        ("windows-1258", "Xin chào", [0x58, 0x69, 0x6E, 0x20, 0x63, 0x68, 0xE0, 0x6F]),
        ("gb2312", "你好，世界", [0xC4, 0xE3, 0xBA, 0xC3, 0xA3, 0xAC, 0xCA, 0xC0, 0xBD, 0xE7]),
        ("gbk", "你好，世界", [0xC4, 0xE3, 0xBA, 0xC3, 0xA3, 0xAC, 0xCA, 0xC0, 0xBD, 0xE7]),
        ("gb18030", "你好，世界 €", [0xC4, 0xE3, 0xBA, 0xC3, 0xA3, 0xAC, 0xCA, 0xC0, 0xBD, 0xE7, 0x20, 0xA2, 0xE3]),
        ("big5", "你好，世界", [0xA7, 0x41, 0xA6, 0x6E, 0xA1, 0x41, 0xA5, 0x40, 0xAC, 0xC9]),
        ("shift_jis", "こんにちは世界", [0x82, 0xB1, 0x82, 0xF1, 0x82, 0xC9, 0x82, 0xBF, 0x82, 0xCD, 0x90, 0xA2, 0x8A, 0x45]),
        ("euc-jp", "こんにちは世界", [0xA4, 0xB3, 0xA4, 0xF3, 0xA4, 0xCB, 0xA4, 0xC1, 0xA4, 0xCF, 0xC0, 0xA4, 0xB3, 0xA6]),
        ("iso-2022-jp", "こんにちは世界", [0x1B, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4B, 0x24, 0x41, 0x24, 0x4F, 0x40, 0x24, 0x33, 0x26, 0x1B, 0x28, 0x42]),
        ("koi8-r", "Привет, мир", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4, 0x2C, 0x20, 0xCD, 0xC9, 0xD2]),
        ("koi8-u", "Привіт", [0xF0, 0xD2, 0xC9, 0xD7, 0xA6, 0xD4]),
        ("euc-kr", "안녕하세요", [0xBE, 0xC8, 0xB3, 0xE7, 0xC7, 0xCF, 0xBC, 0xBC, 0xBF, 0xE4]),
        ("ks_c_5601-1987", "안녕하세요", [0xBE, 0xC8, 0xB3, 0xE7, 0xC7, 0xCF, 0xBC, 0xBC, 0xBF, 0xE4]),
        ("utf-16be", "Grüße", [0x00, 0x47, 0x00, 0x72, 0x00, 0xFC, 0x00, 0xDF, 0x00, 0x65]),
        ("utf-7", "Grüße", [0x47, 0x72, 0x2B, 0x41, 0x50, 0x77, 0x41, 0x33, 0x77, 0x2D, 0x65]),
        ("\"iso-8859-1\"", "Köln", [0x4B, 0xF6, 0x6C, 0x6E]),  // quoted label
    ]

    @Test("decodes cleanly", arguments: fixtures)
    func decodes(charset: String, expected: String, input: [UInt8]) {
        let decoded = Charset.decode(input, charset: charset)
        #expect(decoded.string == expected)
        #expect(decoded.problem == nil)
    }

    @Test("iso-8859-1 reads C1 bytes as windows-1252 punctuation, as mail clients do")
    func latin1IsWindows1252() {
        #expect(Charset.decode([0x93, 0x68, 0x69, 0x94], charset: "ISO-8859-1").string == "“hi”")
    }

    @Test("unknown charset falls back to UTF-8 when valid, and reports")
    func unknownCharsetUTF8() {
        let decoded = Charset.decode(bytes("Grüße"), charset: "x-unknown-charset")
        #expect(decoded.string == "Grüße")
        #expect(decoded.problem?.contains("x-unknown-charset") == true)
    }

    @Test("unknown charset falls back to windows-1252 when not UTF-8, and reports")
    func unknownCharsetLegacy() {
        let decoded = Charset.decode([0x4B, 0xF6, 0x6C, 0x6E], charset: "x-foo")
        #expect(decoded.string == "Köln")
        #expect(decoded.problem?.contains("windows-1252") == true)
    }

    @Test("labels that must not reach iconv are refused and reported", arguments: ["utf-8//TRANSLIT", "../../etc", "a b", String(repeating: "x", count: 200)])
    func hostileLabels(label: String) {
        let decoded = Charset.decode(bytes("plain"), charset: label)
        #expect(decoded.string == "plain")
        // "utf-8//TRANSLIT" is cleaned to nothing usable; either way nothing crashes and it is reported.
        #expect(decoded.problem != nil)
    }

    @Test("UTF-8 mislabeled as iso-2022-jp is read as UTF-8 and reported")
    func mislabeledUTF8() {
        let decoded = Charset.decode(bytes("Grüße"), charset: "iso-2022-jp")
        #expect(decoded.string == "Grüße")
        #expect(decoded.problem != nil)
    }

    @Test("latin-1 text labeled utf-8 falls back to windows-1252 and reports")
    func latin1LabeledUTF8() {
        let decoded = Charset.decode([0x4B, 0xF6, 0x6C, 0x6E, 0x20, 0xFC], charset: "utf-8")
        #expect(decoded.string == "Köln ü")
        #expect(decoded.problem != nil)
    }

    @Test("mostly valid UTF-8 with a stray byte keeps the UTF-8 and replaces the byte")
    func strayByte() {
        let decoded = Charset.decode(bytes("Grüße ") + [0xFF] + bytes(" schön"), charset: "utf-8")
        #expect(decoded.string == "Grüße \u{FFFD} schön")
        #expect(decoded.problem != nil)
    }

    @Test("invalid bytes for a multi-byte charset become U+FFFD and are reported")
    func invalidShiftJIS() {
        let decoded = Charset.decode([0x82, 0xB1, 0xFF, 0x41], charset: "shift_jis")
        #expect(decoded.string.hasPrefix("こ"))
        #expect(decoded.string.contains("\u{FFFD}"))
        #expect(decoded.string.hasSuffix("A"))
        #expect(decoded.problem != nil)
    }

    @Test("truncated multi-byte sequence at the end is reported, not dropped silently")
    func truncatedGB18030() {
        let decoded = Charset.decode([0xC4, 0xE3, 0xBA], charset: "gb2312")
        #expect(decoded.string == "你\u{FFFD}")
        #expect(decoded.problem != nil)
    }

    @Test("no charset: ASCII is clean, UTF-8 is accepted, other 8-bit bytes are reported")
    func noCharset() {
        #expect(Charset.decode(bytes("abc"), charset: nil) == ("abc", nil))
        #expect(Charset.decode(bytes("Grüße"), charset: nil).problem == nil)
        let legacy = Charset.decode([0x4B, 0xF6, 0x6C, 0x6E], charset: nil)
        #expect(legacy.string == "Köln")
        #expect(legacy.problem != nil)
    }

    @Test("us-ascii label with 8-bit UTF-8 is decoded as UTF-8 and reported")
    func asciiLabelWithUTF8() {
        let decoded = Charset.decode(bytes("Grüße"), charset: "us-ascii")
        #expect(decoded.string == "Grüße")
        #expect(decoded.problem != nil)
    }

    @Test("large input converts through iconv in chunks")
    func largeInput() {
        let unit: [UInt8] = [0xA4, 0xB3, 0xA4, 0xF3]  // こん in EUC-JP
        let input = Array([[UInt8]](repeating: unit, count: 100_000).joined())
        let decoded = Charset.decode(input, charset: "euc-jp")
        #expect(decoded.problem == nil)
        #expect(decoded.string.unicodeScalars.count == 200_000)
    }

    @Test("UTF-8 cut inside the last character keeps the text and reports the cut")
    func truncatedUTF8() {
        let decoded = Charset.decode(bytes("Grü") + [0xC3], charset: "utf-8")
        #expect(decoded.string == "Grü\u{FFFD}")
        #expect(decoded.problem?.contains("truncated") == true)
    }

    @Test("isSupported")
    func supported() {
        #expect(Charset.isSupported("koi8-r"))
        #expect(Charset.isSupported("UTF-8"))
        #expect(!Charset.isSupported("x-no-such-charset"))
    }
}
