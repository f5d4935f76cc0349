/// One lexical token of a structured header (RFC 5322 §3.2).
struct HeaderToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// atext run (8-bit bytes included, RFC 6532), also `.` runs of obsolete phrases.
        case atom
        /// A quoted string; `bytes` holds the content with backslash escapes removed.
        case quoted
        /// A comment; `bytes` holds the content without the outer parentheses.
        case comment
        /// `[...]` kept verbatim, brackets included.
        case domainLiteral
        /// An RFC 2047 encoded word, verbatim.
        case encodedWord
        /// One of `<>@,;:.` (and a stray `>` or `]`).
        case special(UInt8)
    }

    var kind: Kind
    var bytes: [UInt8]
    /// Whether whitespace (or a comment) separated this token from the previous one.
    var spaceBefore: Bool
}

/// Splits structured header bytes into tokens. Never fails: an unterminated quote or comment
/// runs to the end, and nesting depth of comments is only counted, never recursed.
struct StructuredLexer {
    private let bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    func tokens() -> [HeaderToken] {
        var tokens: [HeaderToken] = []
        var index = 0
        let end = bytes.count
        var space = false
        while index < end {
            let byte = bytes[index]
            switch byte {
            case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf:
                space = true
                index += 1
                continue
            case ASCII.quote:
                let (content, next) = quotedString(from: index + 1)
                tokens.append(HeaderToken(kind: .quoted, bytes: content, spaceBefore: space))
                index = next
            case ASCII.openParen:
                let (content, next) = comment(from: index + 1)
                tokens.append(HeaderToken(kind: .comment, bytes: content, spaceBefore: space))
                index = next
                space = true
                continue
            case ASCII.openBracket:
                var next = index + 1
                while next < end, bytes[next] != ASCII.closeBracket { next += 1 }
                next = min(next + 1, end)
                tokens.append(HeaderToken(kind: .domainLiteral, bytes: Array(bytes[index..<next]), spaceBefore: space))
                index = next
            case ASCII.lessThan, ASCII.greaterThan, ASCII.at, ASCII.comma, ASCII.semicolon, ASCII.colon, ASCII.closeBracket, ASCII.closeParen, ASCII.backslash:
                tokens.append(HeaderToken(kind: .special(byte), bytes: [byte], spaceBefore: space))
                index += 1
            default:
                if byte == ASCII.equals, let word = EncodedWord.match(bytes, at: index, end: end) {
                    tokens.append(HeaderToken(kind: .encodedWord, bytes: Array(bytes[index..<word.end]), spaceBefore: space))
                    index = word.end
                } else if byte == ASCII.dot {
                    tokens.append(HeaderToken(kind: .special(byte), bytes: [byte], spaceBefore: space))
                    index += 1
                } else {
                    var next = index + 1
                    while next < end, Self.isAtomByte(bytes[next]) {
                        // An encoded word glued to an atom starts a token of its own.
                        if bytes[next] == ASCII.equals, next + 1 < end, bytes[next + 1] == ASCII.question,
                           EncodedWord.match(bytes, at: next, end: end) != nil { break }
                        next += 1
                    }
                    tokens.append(HeaderToken(kind: .atom, bytes: Array(bytes[index..<next]), spaceBefore: space))
                    index = next
                }
            }
            space = false
        }
        return tokens
    }

    static func isAtomByte(_ byte: UInt8) -> Bool {
        switch byte {
        case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf, ASCII.quote, ASCII.openParen, ASCII.closeParen,
             ASCII.lessThan, ASCII.greaterThan, ASCII.at, ASCII.comma, ASCII.semicolon, ASCII.colon,
             ASCII.openBracket, ASCII.closeBracket, ASCII.backslash, ASCII.dot:
            return false
        default:
            return byte >= 0x20 && byte != 0x7F
        }
    }

    /// Content of a quoted string starting after its opening quote, and the index after the closing one.
    private func quotedString(from start: Int) -> ([UInt8], Int) {
        var content: [UInt8] = []
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.backslash, index + 1 < bytes.count {
                content.append(bytes[index + 1])
                index += 2
            } else if byte == ASCII.quote {
                return (content, index + 1)
            } else if byte == ASCII.cr || byte == ASCII.lf {
                index += 1  // leftover folding
            } else {
                content.append(byte)
                index += 1
            }
        }
        return (content, index)
    }

    /// Content of a (possibly nested) comment starting after its `(`, and the index after the matching `)`.
    private func comment(from start: Int) -> ([UInt8], Int) {
        var content: [UInt8] = []
        var depth = 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.backslash, index + 1 < bytes.count {
                content.append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == ASCII.openParen { depth += 1 }
            if byte == ASCII.closeParen {
                depth -= 1
                if depth == 0 { return (content, index + 1) }
            }
            content.append(byte)
            index += 1
        }
        return (content, index)
    }
}
