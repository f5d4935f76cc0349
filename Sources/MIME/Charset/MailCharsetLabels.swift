/// Charset labels that mail software writes and the WHATWG table (`WHATWGEncodingLabels`) does
/// not list, each mapped to the WHATWG encoding (or mail-only reader) that decodes it.
///
/// Consulted after the WHATWG table, and before iconv is asked to recognise a label by its own
/// alias list. Where each label comes from:
/// - Python's `email` package writes its codec names into RFC 2047 words: `Header(s, "gb2312")`
///   produces `=?eucgb2312_cn?b?...?=`, `"big5"` produces `big5_tw`, and `euc_cn`, `utf_8`,
///   `latin_1` appear verbatim when a program passes Python codec names. Underscores are also
///   tried as hyphens (`CharsetReader`), so only names that differ beyond that are listed.
/// - Microsoft and Java code-page names: `cp936`, `ms936`, `cp949`, `cp950`, `x-ms-cp932`.
/// - UTF-7 (RFC 2152) is not a web encoding but old Outlook and IMAP-era mail uses it.
enum MailCharsetLabels {
    /// Label → WHATWG encoding name, or one of the mail-only names `utf-7`, `hz-gb-2312`,
    /// `iso-2022-kr`, `iso-2022-cn`, `iso-2022-cn-ext`, `utf-16` that `CharsetReader` handles.
    static let encodingByLabel: [String: String] = [
        // Python's email package (email.charset.CODEC_MAP and codec aliases)
        "eucgb2312-cn": "gbk", "euc-cn": "gbk", "x-euc-cn": "gbk", "euccn": "gbk", "gb2312-1980": "gbk",
        "big5-tw": "big5", "csbig5-tw": "big5", "big5hkscs": "big5", "big5-hkscs": "big5", "hkscs": "big5",
        "latin-1": "windows-1252", "iso-8859-1-1987": "windows-1252",
        "u8": "utf-8", "utf": "utf-8", "cp65001": "utf-8", "utf-8-sig": "utf-8",
        "eucjp": "euc-jp", "ujis": "euc-jp", "u-jis": "euc-jp", "shiftjis": "shift_jis", "s-jis": "shift_jis",
        "euckr": "euc-kr", "ks-c-5601": "euc-kr", "ksc5601-1987": "euc-kr", "uhc": "euc-kr", "johab": "euc-kr",
        "hz": "hz-gb-2312", "hzgb": "hz-gb-2312", "hz-gb": "hz-gb-2312",
        "iso2022-jp": "iso-2022-jp", "iso2022jp": "iso-2022-jp", "iso2022-kr": "iso-2022-kr",
        // Code-page names
        "cp936": "gbk", "ms936": "gbk", "windows-936": "gbk", "936": "gbk",
        "cp949": "euc-kr", "ms949": "euc-kr", "949": "euc-kr",
        "cp950": "big5", "ms950": "big5", "windows-950": "big5", "950": "big5",
        "cp932": "shift_jis", "x-ms-cp932": "shift_jis", "932": "shift_jis",
        "cp874": "windows-874", "x-cp874": "windows-874",
        "utf-8n": "utf-8", "x-unicode20utf8": "utf-8",
        // Not web encodings, but found in mail
        "utf-7": "utf-7", "unicode-1-1-utf-7": "utf-7", "x-utf-7": "utf-7", "csunicode11utf7": "utf-7", "utf7": "utf-7",
    ]

    /// Labels that mean US-ASCII. The WHATWG table reads them as windows-1252; mail keeps them apart
    /// because 8-bit bytes under an ASCII label are usually undeclared UTF-8 (RFC 6532 headers).
    static let asciiLabels: Set<String> = [
        "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "iso-ir-6", "cp367", "ibm367", "csascii",
        "ansi_x3.4-1986", "646",
    ]
}
