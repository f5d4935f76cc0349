/// A string value as found in the frame: a range of the frame when it needed no unescaping,
/// otherwise the unescaped bytes.
struct ParsedString {
    var range: Range<Int>
    var unescaped: [UInt8]?
}

/// quoted, literal, string, nstring, astring, and turning their bytes into values.
extension GrammarParser {
    // MARK: Strings

    /// string = quoted / literal
    /// Lenient: a bare atom where a string belongs (`("CHARSET" utf-8)`) is taken as its text.
    mutating func string() throws(GrammarError) -> ParsedString {
        guard let byte = peek() else { throw fail("expected a string") }
        switch byte {
        case ASCII.quote: return try quoted()
        case ASCII.openBrace, ASCII.tilde: return ParsedString(range: try literal(), unescaped: nil)
        default:
            guard isAtomByte(byte) else { throw fail("expected a string") }
            return ParsedString(range: try atomRange(), unescaped: nil)
        }
    }

    /// nstring = string / nil
    mutating func nstring() throws(GrammarError) -> ParsedString? {
        if consumeNil() { return nil }
        return try string()
    }

    /// astring = 1*ASTRING-CHAR / string ; ASTRING-CHAR = ATOM-CHAR / resp-specials
    /// Lenient: an unquoted astring runs to a space, parenthesis or line end (TABs and raw UTF-8
    /// included, as Exchange and others send them).
    mutating func astring() throws(GrammarError) -> ParsedString {
        if peek(is: ASCII.quote) { return try quoted() }
        if peek(is: ASCII.openBrace) || (peek(is: ASCII.tilde) && position + 1 < end && bytes[position + 1] == ASCII.openBrace) {
            // `{` begins a literal only when a well-formed marker follows; otherwise it is name text.
            let saved = position
            if let range = try? literal() { return ParsedString(range: range, unescaped: nil) }
            position = saved
        }
        let start = position
        while position < end {
            let byte = bytes[position]
            if byte == ASCII.space || byte == ASCII.openParen || byte == ASCII.closeParen
                || byte == ASCII.cr || byte == ASCII.lf {
                break
            }
            position += 1
        }
        guard position > start else { throw fail("expected an astring") }
        return ParsedString(range: start..<position, unescaped: nil)
    }

    /// quoted = DQUOTE *QUOTED-CHAR DQUOTE ; QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> /
    /// "\" quoted-specials. Lenient: a `"` closes the string only when `)`, `]`, a space or the
    /// line end follows, so servers that forget to escape a quote still parse; other `\x` pairs
    /// are kept as written.
    mutating func quoted() throws(GrammarError) -> ParsedString {
        try expect(ASCII.quote, "'\"'")
        let start = position
        // Unescaped bytes, built only when the string has an escape; `copied` marks how much of
        // the raw string has been moved into it, so plain runs are copied in bulk.
        var unescaped: [UInt8]?
        var copied = start
        var index = start
        while true {
            // The hot loop: plain bytes, eight at a time while none of them is special.
            index = skipPlainQuotedBytes(from: index)
            while index < end {
                let byte = bytes[index]
                if byte == ASCII.quote || byte == ASCII.backslash || byte == ASCII.cr || byte == ASCII.lf { break }
                index += 1
            }
            guard index < end else {
                position = index
                throw fail("unterminated quoted string")
            }
            let byte = bytes[index]
            if byte == ASCII.quote {
                let next = index + 1
                if next >= end || bytes[next] == ASCII.space || bytes[next] == ASCII.closeParen
                    || bytes[next] == ASCII.closeBracket || bytes[next] == ASCII.cr || bytes[next] == ASCII.lf {
                    position = next
                    if unescaped != nil {
                        unescaped!.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                    }
                    return ParsedString(range: start..<index, unescaped: unescaped)
                }
                index += 1  // an unescaped quote inside the string: content
            } else if byte == ASCII.backslash {
                guard index + 1 < end, bytes[index + 1] == ASCII.quote || bytes[index + 1] == ASCII.backslash else {
                    index += 1  // a lone backslash: kept as written
                    continue
                }
                if unescaped == nil { unescaped = [] }
                unescaped!.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                unescaped!.append(bytes[index + 1])
                index += 2
                copied = index
            } else {
                position = index
                throw fail("line end inside a quoted string")
            }
        }
    }

    /// The first index at or after `start` whose 8-byte word may hold `"`, `\`, CR or LF (or
    /// where fewer than eight bytes remain); the caller finishes byte by byte.
    @inline(__always) private func skipPlainQuotedBytes(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ 0x2222_2222_2222_2222, backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
            let cr = word ^ 0x0D0D_0D0D_0D0D_0D0D, lf = word ^ 0x0A0A_0A0A_0A0A_0A0A
            // Has-zero-byte test on each; any hit means a special byte somewhere in this word.
            let hits = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                | ((cr &- ones) & ~cr) | ((lf &- ones) & ~lf)
            if hits & highs != 0 { break }
            index += 8
        }
        return index
    }

    /// literal = "{" number64 ["+"] "}" CRLF *CHAR8 ; literal8 = "~{" number64 "}" CRLF *OCTET
    /// Also `{n-}` (LITERAL-) and `}` LF without CR. Returns the range of the literal's data.
    mutating func literal() throws(GrammarError) -> Range<Int> {
        _ = consume(ASCII.tilde)
        try expect(ASCII.openBrace, "'{'")
        let size = try intNumber()
        if !consume(ASCII.plus) { _ = consume(ASCII.minus) }
        try expect(ASCII.closeBrace, "'}'")
        // The frame's line end was trimmed from `end`, but literal data always lies before it;
        // the CRLF after the marker is inside the frame, so read it directly from the buffer.
        if position < bytes.count && bytes[position] == ASCII.cr { position += 1 }
        guard position < bytes.count, bytes[position] == ASCII.lf else { throw fail("expected CRLF after literal") }
        position += 1
        let dataEnd = position + size
        guard dataEnd <= end else { throw fail("literal data runs past the response") }
        let range = position..<dataEnd
        position = dataEnd
        return range
    }

    // MARK: Making values

    /// The bytes of a parsed string.
    func data(_ value: ParsedString) -> [UInt8] {
        if let unescaped = value.unescaped { return unescaped }
        return Array(UnsafeBufferPointer(rebasing: bytes[value.range]))
    }

    /// The string decoded as UTF-8, invalid sequences replaced (envelope and body fields carry
    /// raw 8-bit header text from some servers).
    func text(_ value: ParsedString) -> String {
        if let unescaped = value.unescaped { return String(decoding: unescaped, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[value.range]), as: UTF8.self)
    }

    /// Bytes of the frame as a UTF-8 string (lossy).
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// ASCII-lower-cased text, without going through `String.lowercased()` for the common case.
    func lowercasedText(_ value: ParsedString) -> String {
        if let unescaped = value.unescaped { return String(decoding: unescaped, as: UTF8.self).lowercased() }
        return lowercasedText(value.range)
    }

    func lowercasedText(_ range: Range<Int>) -> String {
        var hasUpper = false
        for index in range where bytes[index] &- 0x41 < 26 { hasUpper = true; break }
        guard hasUpper else { return text(range) }
        let source = bytes
        return String(unsafeUninitializedCapacity: range.count) { buffer in
            var offset = 0
            for index in range {
                buffer[offset] = ASCII.lower(source[index])
                offset += 1
            }
            return offset
        }
    }
}
