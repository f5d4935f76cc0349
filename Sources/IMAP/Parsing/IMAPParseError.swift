/// Why `ResponseParser.next()` could not produce a response.
///
/// `literalTooLarge` and `lineTooLong` are fatal: the byte stream cannot be resynchronised and the
/// connection must be closed. After `nestingTooDeep` and `malformed` the offending response has
/// been skipped and `next()` continues with the following one.
public enum IMAPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A literal announced more bytes than `ParserLimits.maxLiteralSize`. Fatal.
    case literalTooLarge(size: Int, limit: Int)
    /// Parentheses nested deeper than `ParserLimits.maxNestingDepth`; the response was skipped.
    case nestingTooDeep(limit: Int)
    /// A response's line text exceeded `ParserLimits.maxLineLength`. Fatal.
    case lineTooLong(limit: Int)
    /// The response does not follow the grammar; `position` is the byte offset inside `line`
    /// (the whole response as received). The response was skipped.
    case malformed(reason: String, position: Int, line: [UInt8])

    /// True when the connection cannot continue after this error.
    public var isFatal: Bool {
        switch self {
        case .literalTooLarge, .lineTooLong: return true
        case .nestingTooDeep, .malformed: return false
        }
    }

    public var description: String {
        switch self {
        case .literalTooLarge(let size, let limit):
            return "IMAP literal of \(size) bytes exceeds the limit of \(limit) bytes"
        case .nestingTooDeep(let limit):
            return "IMAP response nests parentheses deeper than \(limit) levels"
        case .lineTooLong(let limit):
            return "IMAP response line exceeds \(limit) bytes"
        case .malformed(let reason, let position, let line):
            // Show a bounded, printable excerpt so logs stay readable for megabyte responses.
            let excerpt = line.prefix(200).map { byte -> Character in
                (0x20...0x7E).contains(byte) ? Character(Unicode.Scalar(byte)) : "."
            }
            let ellipsis = line.count > 200 ? "..." : ""
            return "malformed IMAP response (\(reason)) at byte \(position): \(String(excerpt))\(ellipsis)"
        }
    }
}
