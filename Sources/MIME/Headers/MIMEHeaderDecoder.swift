import Codecs

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
        // The next commonest: one UTF-8 encoded word and nothing else ("=?UTF-8?B?...?=").
        if let name = singleUTF8Word(raw) { return (name, []) }
        var problems: [String] = []
        let tokens = StructuredLexer(bytes: Array(raw.utf8)).tokens()
        return (Phrase.text(of: tokens[...], problems: &problems), problems)
    }

    /// The decoded text when `raw` is exactly one `=?UTF-8?B?...?=` or `=?UTF-8?Q?...?=` word
    /// whose payload is valid UTF-8 without whitespace or quotes at its ends: then the lexer sees
    /// one encoded-word token and `Phrase.text` returns the payload as it is. Nil otherwise, for
    /// the general path (which a differential test holds this to).
    static func singleUTF8Word(_ raw: String) -> String? {
        var raw = raw
        return raw.withUTF8 { bytes -> String? in
            // "=?utf-8?X?" + at least one byte of text + "?="
            let count = bytes.count
            guard count >= 13, bytes[0] == ASCII.equals, bytes[1] == ASCII.question,
                  bytes[2] | 0x20 == UInt8(ascii: "u"), bytes[3] | 0x20 == UInt8(ascii: "t"),
                  bytes[4] | 0x20 == UInt8(ascii: "f"), bytes[5] == UInt8(ascii: "-"), bytes[6] == UInt8(ascii: "8"),
                  bytes[7] == ASCII.question, bytes[9] == ASCII.question,
                  bytes[count - 2] == ASCII.question, bytes[count - 1] == ASCII.equals
            else { return nil }
            let letter = bytes[8] | 0x20
            guard letter == UInt8(ascii: "b") || letter == UInt8(ascii: "q") else { return nil }
            let text = UnsafeBufferPointer(rebasing: bytes[10..<(count - 2)])
            for byte in text where byte == ASCII.question || ASCII.isWhitespace(byte) { return nil }
            let payload = letter == UInt8(ascii: "b") ? Base64.decode(text) : QuotedPrintable.decodeQEncoding(text)
            guard let first = payload.first, let last = payload.last,
                  !ASCII.isWhitespace(first), !ASCII.isWhitespace(last), first != ASCII.quote, last != ASCII.quote,
                  UTF8Scan(payload).isValid
            else { return nil }
            return String(utf8Bytes: payload)
        }
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
            let isWordByte = ASCII.isDigit(byte) || ASCII.isAlpha(byte)
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
