/// The tokens everything else is made of: spaces, keywords, atoms, numbers; and skipping values.
extension GrammarParser {
    // MARK: Spaces and fixed tokens

    /// SP; lenient: one or more spaces or TABs.
    @inline(__always) mutating func space() throws(GrammarError) {
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

    @inline(__always) mutating func expect(_ byte: UInt8, _ what: StaticString) throws(GrammarError) {
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
