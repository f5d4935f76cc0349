extension String {
    /// The text without leading and trailing ASCII whitespace: SP, HTAB, LF, FF and CR (WHATWG
    /// "ASCII whitespace"). Other Unicode spaces (NBSP, U+3000) are content and stay: settings,
    /// Message-IDs, Content-IDs and query values are ASCII syntax, and a stray NBSP in
    /// `--idle-timeout 30s\u{A0}` should be reported, not guessed away.
    var trimmingASCIISpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !Self.isASCIIWhitespace($0) }) else { return "" }
        // Non-nil: `first` itself is not whitespace.
        let last = utf8.lastIndex(where: { !Self.isASCIIWhitespace($0) }) ?? first
        if first == utf8.startIndex, utf8.index(after: last) == utf8.endIndex { return self }
        // Bytes, not Characters: a combining mark after a space is its own content, not part of the space.
        return String(decoding: utf8[first...last], as: UTF8.self)
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }
}
