/// Decodes header text from any source (a message's header, an IMAP ENVELOPE field) to Unicode.
public enum MIMEHeaderDecoder {
    /// A decoded value plus the notes about anything that could not be decoded cleanly.
    public typealias Decoded = (value: String, problems: [String])

    /// Decodes an unstructured header value given as raw bytes: 8-bit text is read as UTF-8
    /// (RFC 6532) or, when it is not UTF-8, as windows-1252; then RFC 2047 words are decoded.
    public static func decode(_ raw: [UInt8]) -> Decoded {
        var problems: [String] = []
        let utf8 = utf8Bytes(of: raw, problems: &problems)
        return (EncodedWord.decode(utf8: utf8, problems: &problems), problems)
    }

    /// Decodes an unstructured header value that is already a Swift string.
    public static func decode(_ raw: String) -> Decoded {
        // Most subjects hold no encoded word: they decode to themselves.
        if !mayHoldEncodedWord(raw) { return (raw, []) }
        var problems: [String] = []
        return (EncodedWord.decode(utf8: Array(raw.utf8), problems: &problems), problems)
    }

    /// Decodes a display name (an RFC 5322 phrase, e.g. an ENVELOPE address name): quoted
    /// strings are unquoted and unescaped, encoded words decoded (also inside quotes, as
    /// Outlook writes them), and quotes that wrap the whole decoded name are removed.
    public static func decodePhrase(_ raw: String) -> Decoded {
        // Most names are plain words with single spaces ("Jane Doe"): nothing to unquote, fold
        // or decode, so the phrase is the text itself.
        if isPlainWords(raw) { return (raw, []) }
        var problems: [String] = []
        let tokens = StructuredLexer(bytes: Array(raw.utf8)).tokens()
        return (Phrase.text(of: tokens[...], problems: &problems), problems)
    }

    /// Whether `=?` occurs: without it there is no encoded word to decode.
    static func mayHoldEncodedWord(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == ASCII.equals && byte == ASCII.question { return true }
            previous = byte
        }
        return false
    }

    /// ASCII letters, digits and the atext symbols that are neither `=` nor `.`, as words
    /// separated by single spaces: the phrases `Phrase.text` returns unchanged.
    static func isPlainWords(_ text: String) -> Bool {
        var previousWasSpace = true  // no leading space
        var count = 0
        for byte in text.utf8 {
            count += 1
            if byte == ASCII.space {
                if previousWasSpace { return false }
                previousWasSpace = true
                continue
            }
            previousWasSpace = false
            let isWordByte = (byte >= 0x30 && byte <= 0x39) || ASCII.isAlpha(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "'")
                || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "&")
                || byte == UInt8(ascii: "+")
            if !isWordByte { return false }
        }
        return count > 0 && !previousWasSpace  // no trailing space
    }

    /// Header bytes as valid UTF-8: RFC 6532 allows raw UTF-8; anything else is legacy 8-bit text.
    static func utf8Bytes(of raw: [UInt8], problems: inout [String]) -> [UInt8] {
        let scan = UTF8Scan(raw)
        if scan.isValid { return raw }
        let note = "header contains 8-bit bytes that are not UTF-8; decoded as windows-1252"
        if !problems.contains(note) { problems.append(note) }
        return Array(Windows1252.decode(raw).utf8)
    }
}
