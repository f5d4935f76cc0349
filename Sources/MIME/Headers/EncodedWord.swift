import Codecs

/// RFC 2047 encoded words: `=?charset?B?...?=` and `=?charset?Q?...?=` inside header text.
///
/// Decoding is lenient where mail in the wild needs it: words touching other text are decoded
/// too, whitespace between adjacent words is dropped (so a character split across two words
/// survives), any charset iconv knows is accepted, and a word that is broken (no `?=`, no
/// charset, an encoding other than B or Q) stays in the output as the raw text it was.
public enum EncodedWord {
    /// A syntactically complete encoded word found in some bytes.
    struct Match: Sendable {
        /// Charset label without any RFC 2231 `*language` suffix.
        var charset: String
        var isBase64: Bool
        var text: Range<Int>
        /// Index just past the closing `?=`.
        var end: Int
    }

    /// Charset labels longer than this are not believed (RFC 2047 caps a whole word at 75 bytes,
    /// but long words exist; the charset part never needs more).
    static let maxCharsetLength = 64

    /// Decodes every encoded word in `text`, returning the text and what could not be decoded cleanly.
    public static func decode(_ text: String) -> (string: String, problems: [String]) {
        var problems: [String] = []
        let string = decode(utf8: Array(text.utf8), problems: &problems)
        return (string, problems)
    }

    /// Recognises an encoded word starting at `start` (which must point at `=?`).
    ///
    /// Linear overall: the encoded text ends at the first `?`, so no byte is scanned by more
    /// than two attempts.
    static func match(_ bytes: [UInt8], at start: Int, end: Int) -> Match? {
        guard start + 1 < end, bytes[start] == ASCII.equals, bytes[start + 1] == ASCII.question else { return nil }
        var index = start + 2
        let charsetStart = index
        while index < end, bytes[index] != ASCII.question {
            let byte = bytes[index]
            if ASCII.isWhitespace(byte) || index - charsetStart >= maxCharsetLength { return nil }
            index += 1
        }
        guard index < end, index > charsetStart else { return nil }
        let charsetEnd = index
        // "?X?" : the encoding letter.
        guard index + 2 < end, bytes[index + 2] == ASCII.question else { return nil }
        let letter = ASCII.lowercased(bytes[index + 1])
        guard letter == 0x62 || letter == 0x71 else { return nil }  // "b" or "q"
        index += 3
        let textStart = index
        while index < end, bytes[index] != ASCII.question {
            if ASCII.isWhitespace(bytes[index]) { return nil }
            index += 1
        }
        guard index + 1 < end, bytes[index + 1] == ASCII.equals else { return nil }
        var charsetBytes = Array(bytes[charsetStart..<charsetEnd])
        if let star = charsetBytes.firstIndex(of: ASCII.asterisk) { charsetBytes.removeSubrange(star...) }
        guard !charsetBytes.isEmpty else { return nil }
        return Match(
            charset: String(utf8Bytes: charsetBytes),
            isBase64: letter == 0x62,
            text: textStart..<index,
            end: index + 2
        )
    }

    /// Decodes the payload bytes of a matched word (before charset conversion).
    static func payload(of match: Match, in bytes: [UInt8]) -> [UInt8] {
        let text = bytes[match.text]
        return match.isBase64 ? Base64.decode(text) : QuotedPrintable.decodeQEncoding(text)
    }

    /// Decodes all words in UTF-8 `bytes`, appending problems (each reported once).
    static func decode(utf8 bytes: [UInt8], problems: inout [String]) -> String {
        var output = ""
        output.reserveCapacity(bytes.count)
        var pending: (charset: String, bytes: [UInt8])? = nil
        var literalStart = 0
        var index = 0
        let end = bytes.count

        func flushPending() {
            guard let word = pending else { return }
            let decoded = Charset.decode(word.bytes, charset: word.charset)
            output += decoded.string
            if let problem = decoded.problem {
                let note = "encoded word: \(problem)"
                if !problems.contains(note) { problems.append(note) }
            }
            pending = nil
        }

        while index < end {
            guard bytes[index] == ASCII.equals, let word = match(bytes, at: index, end: end) else {
                index += 1
                continue
            }
            let between = bytes[literalStart..<index]
            let adjacent = pending != nil && between.allSatisfy(ASCII.isWhitespace)
            if !adjacent {
                flushPending()
                output += String(utf8Bytes: between)
            }
            let payload = payload(of: word, in: bytes)
            if let charset = pending?.charset, CharsetReader.clean(charset) == CharsetReader.clean(word.charset) {
                // Same charset: join the bytes, so a multi-byte character split across words survives.
                pending!.bytes.append(contentsOf: payload)
            } else {
                flushPending()
                pending = (word.charset, payload)
            }
            index = word.end
            literalStart = index
        }
        flushPending()
        output += String(utf8Bytes: bytes[literalStart..<end])
        return output
    }
}
