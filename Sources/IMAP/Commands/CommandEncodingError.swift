/// Why a command could not be encoded. Values that may be secret (passwords) are never included,
/// only the name of the field that held them.
public enum CommandEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// CR, LF or NUL where IMAP cannot carry it (NUL anywhere outside a BINARY literal; CR and LF
    /// in atoms and in values that must be quoted strings).
    case forbiddenCharacter(field: String, byte: UInt8)
    /// A keyword that is not an IMAP atom (contains space, `(`, `)`, `{`, `%`, `*`, `"`, `\`, `]` or a control).
    case invalidKeyword(String)
    /// A flag that cannot be sent (`\*`, or a backslash followed by a non-atom).
    case invalidFlag(String)
    /// A value that must be an atom (SASL mechanism, charset, capability, header field name) but is not.
    case invalidAtom(field: String, value: String)
    /// A sequence set or list that must not be empty was empty.
    case empty(field: String)
    /// A number outside what IMAP allows (negative sizes, offsets or lengths).
    case invalidNumber(field: String, value: Int)
    /// An APPEND date that is not an IMAP date-time (`17-Jul-1996 02:44:25 -0700`).
    case invalidDate(String)
    /// A BODY section that is not `part.part[.HEADER|.TEXT|.MIME]`.
    case invalidSection(String)

    public var description: String {
        switch self {
        case let .forbiddenCharacter(field, byte):
            let name = byte == 0 ? "NUL" : byte == 13 ? "CR" : byte == 10 ? "LF" : "0x\(String(byte, radix: 16))"
            return "\(field) contains \(name), which IMAP cannot carry there"
        case let .invalidKeyword(keyword): return "'\(keyword)' is not a valid IMAP keyword (an atom without spaces or ( ) { % * \" \\ ])"
        case let .invalidFlag(flag): return "'\(flag)' cannot be sent as a flag"
        case let .invalidAtom(field, value): return "\(field) '\(value)' is not a valid IMAP atom"
        case let .empty(field): return "\(field) must not be empty"
        case let .invalidNumber(field, value): return "\(field) \(value) is out of range"
        case let .invalidDate(date): return "'\(date)' is not an IMAP date-time like 17-Jul-1996 02:44:25 -0700"
        case let .invalidSection(section): return "'\(section)' is not a valid BODY section"
        }
    }
}
