/// Byte constants and the tokens everything else is made of: atoms, numbers, strings, literals.
enum ASCII {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let tilde: UInt8 = 0x7E
    static let lessThan: UInt8 = 0x3C
    static let greaterThan: UInt8 = 0x3E
    static let star: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B
    static let minus: UInt8 = 0x2D
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }
    @inline(__always) static func upper(_ byte: UInt8) -> UInt8 { byte &- 0x61 < 26 ? byte &- 0x20 : byte }
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte &+ 0x20 : byte }
}

/// A string value as found in the frame: a range of the frame when it needed no unescaping,
/// otherwise the unescaped bytes.
struct ParsedString {
    var range: Range<Int>
    var unescaped: [UInt8]?
}

extension GrammarParser {
    // MARK: Spaces and fixed tokens

    /// SP; lenient: one or more spaces or TABs.
    mutating func space() throws(GrammarError) {
        guard position < end, bytes[position] == ASCII.space || bytes[position] == ASCII.tab else {
            throw fail("expected a space")
        }
        position += 1
        skipSpaces()
    }

    /// Skips any spaces (servers add them before `)` and at line ends).
    @inline(__always) mutating func skipSpaces() {
        while position < end, bytes[position] == ASCII.space || bytes[position] == ASCII.tab { position += 1 }
    }

    mutating func expect(_ byte: UInt8, _ what: StaticString) throws(GrammarError) {
        guard position < end, bytes[position] == byte else { throw fail("expected \(what)") }
        position += 1
    }

    /// Consumes `byte` when it is next.
    @inline(__always) mutating func consume(_ byte: UInt8) -> Bool {
        if position < end && bytes[position] == byte { position += 1; return true }
        return false
    }

    /// True when `range` spells `keyword` (upper-case ASCII), ignoring case.
    func equals(_ range: Range<Int>, _ keyword: StaticString) -> Bool {
        guard range.count == keyword.utf8CodeUnitCount else { return false }
        let pointer = keyword.utf8Start
        var offset = 0
        for index in range {
            if ASCII.upper(bytes[index]) != pointer[offset] { return false }
            offset += 1
        }
        return true
    }

    /// Consumes `keyword` (case-insensitive) when it is next and not followed by more atom bytes.
    mutating func consumeKeyword(_ keyword: StaticString) -> Bool {
        let length = keyword.utf8CodeUnitCount
        guard position + length <= end, equals(position..<(position + length), keyword) else { return false }
        let after = position + length
        if after < end && isAtomByte(bytes[after]) { return false }
        position = after
        return true
    }

    /// nil = "NIL" (any case); the commonest token in FETCH data, so checked without a loop.
    @inline(__always) mutating func consumeNil() -> Bool {
        guard position + 3 <= end,
              bytes[position] | 0x20 == 0x6E, bytes[position + 1] | 0x20 == 0x69, bytes[position + 2] | 0x20 == 0x6C
        else { return false }
        if position + 3 < end && isAtomByte(bytes[position + 3]) { return false }
        position += 3
        return true
    }

    // MARK: Atoms

    /// ATOM-CHAR = <any CHAR except atom-specials>; atom-specials = "(" / ")" / "{" / SP / CTL /
    /// list-wildcards / quoted-specials / resp-specials. Lenient: bytes >= 0x80 (raw UTF-8) count.
    @inline(__always) func isAtomByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...0x20, 0x7F, ASCII.openParen, ASCII.closeParen, ASCII.openBrace, ASCII.quote,
             ASCII.backslash, ASCII.closeBracket, 0x25 /* % */, ASCII.star:
            return false
        default:
            return true
        }
    }

    /// atom = 1*ATOM-CHAR
    mutating func atomRange() throws(GrammarError) -> Range<Int> {
        let start = position
        while position < end && isAtomByte(bytes[position]) { position += 1 }
        guard position > start else { throw fail("expected an atom") }
        return start..<position
    }

    /// A lenient token: everything up to a space, `)` or the line end. Used for flags, list
    /// attributes and capabilities, which real servers fill with `[`, `]` and other specials
    /// (`OIB-Seen-[Gmail]/Trash`, `[css3-page]`).
    mutating func tokenRange(stopAtBracket: Bool = false) throws(GrammarError) -> Range<Int> {
        let start = position
        while position < end {
            let byte = bytes[position]
            if byte == ASCII.space || byte == ASCII.closeParen || byte == ASCII.cr || byte == ASCII.lf { break }
            if stopAtBracket && byte == ASCII.closeBracket { break }
            position += 1
        }
        guard position > start else { throw fail("expected a token") }
        return start..<position
    }

    /// The keyword of a response or data item: letters, digits, `-`, `.`, `=` and friends up to
    /// a space, bracket, parenthesis or `<`.
    mutating func keywordRange() throws(GrammarError) -> Range<Int> {
        let start = position
        while position < end {
            let byte = bytes[position]
            if byte <= ASCII.space || byte == ASCII.openParen || byte == ASCII.closeParen
                || byte == ASCII.openBracket || byte == ASCII.closeBracket || byte == ASCII.lessThan
                || byte == ASCII.quote || byte == ASCII.openBrace {
                break
            }
            position += 1
        }
        guard position > start else { throw fail("expected a keyword") }
        return start..<position
    }

    // MARK: Numbers

    /// number = 1*DIGIT ; unsigned 32-bit
    mutating func number() throws(GrammarError) -> UInt32 {
        let value = try number64()
        guard value <= UInt64(UInt32.max) else { throw fail("number exceeds 32 bits") }
        return UInt32(value)
    }

    /// number64 = 1*DIGIT ; unsigned 63-bit (RFC 9051)
    mutating func number64() throws(GrammarError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        while position < end {
            let digit = bytes[position] &- ASCII.zero
            guard digit < 10 else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1 && !overflow2 else { throw fail("number too large") }
            value = sum
            position += 1
        }
        guard position > start else { throw fail("expected a number") }
        return value
    }

    /// A number that broken servers send negative (`-1` body sizes): ["-"] 1*DIGIT.
    mutating func signedNumber() throws(GrammarError) -> Int {
        let negative = consume(ASCII.minus)
        let value = try number64()
        guard value <= UInt64(Int.max) else { throw fail("number too large") }
        return negative ? -Int(value) : Int(value)
    }

    /// A count or size as an `Int`.
    mutating func intNumber() throws(GrammarError) -> Int {
        let value = try number64()
        guard value <= UInt64(Int.max) else { throw fail("number too large") }
        return Int(value)
    }

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
            // The hot loop: plain bytes.
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

    // MARK: Skipping

    /// Skips one value of any shape: a parenthesised list (balanced, strings and literals inside
    /// honoured), a string, a literal, NIL or an atom-like token. Iterative, depth-checked.
    mutating func skipValue() throws(GrammarError) {
        var level = 0
        repeat {
            skipSpaces()
            guard let byte = peek() else { throw fail("unexpected end of response") }
            switch byte {
            case ASCII.openParen:
                level += 1
                if depth + level > maxDepth { throw .nestingTooDeep }
                position += 1
            case ASCII.closeParen:
                guard level > 0 else { throw fail("unexpected ')'") }
                level -= 1
                position += 1
            case ASCII.quote:
                _ = try quoted()
            case ASCII.openBrace, ASCII.tilde:
                _ = try literal()
            default:
                // A token: up to a space or parenthesis (brackets are part of it: `BODY[1]<0>`).
                let start = position
                while position < end {
                    let next = bytes[position]
                    if next == ASCII.space || next == ASCII.openParen || next == ASCII.closeParen { break }
                    if next == ASCII.quote && position > start { break }
                    position += 1
                }
                if position == start { position += 1 }
            }
        } while level > 0
    }
}
