/// Turns the tokens of an RFC 5322 phrase (a display name) into display text.
enum Phrase {
    /// Words are separated by one space (runs of whitespace collapse), quoted strings keep their
    /// inner spacing, `.` in obsolete phrases sticks to its neighbours, and encoded words are
    /// decoded, including inside quoted strings. Quotes that wrap the whole decoded text (as in
    /// `=?ISO-8859-1?Q?"G=FCnter__Hammerl"?=`) are removed.
    static func text(of tokens: ArraySlice<HeaderToken>, problems: inout [String]) -> String {
        var raw: [UInt8] = []
        for token in tokens {
            if token.kind == .comment { continue }
            if !raw.isEmpty && token.spaceBefore { raw.append(ASCII.space) }
            raw.append(contentsOf: token.bytes)
        }
        var text = EncodedWord.decode(utf8: raw, problems: &problems)
        text = stripWrappingQuotes(text)
        return text
    }

    /// Removes one pair of double quotes around the whole text, and surrounding whitespace.
    static func stripWrappingQuotes(_ text: String) -> String {
        var bytes = Array(text.utf8).trimmingWhitespace()
        if bytes.count >= 2, bytes.first == ASCII.quote, bytes.last == ASCII.quote {
            bytes = Array(bytes[1..<(bytes.count - 1)]).trimmingWhitespace()
        }
        return String(utf8Bytes: bytes)
    }
}
