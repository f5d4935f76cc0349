/// A message flag or keyword exactly as the server spells it (`\Seen`, `$Forwarded`, `OIB-Seen-[Gmail]/Trash`).
///
/// System flags (starting with a backslash) are case-insensitive in IMAP; they are normalised to
/// their canonical spelling so `\SEEN` and `\Seen` compare equal. Keywords keep their case.
public struct Flag: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ value: String) {
        if value.hasPrefix("\\"), let canonical = Flag.systemFlags[value.lowercased()] {
            rawValue = canonical
        } else {
            rawValue = value
        }
    }

    public var description: String { rawValue }
    /// True for `\Seen`-style system flags (and `\*` in PERMANENTFLAGS).
    public var isSystemFlag: Bool { rawValue.hasPrefix("\\") }

    public static let seen = Flag("\\Seen")
    public static let answered = Flag("\\Answered")
    public static let flagged = Flag("\\Flagged")
    public static let deleted = Flag("\\Deleted")
    public static let draft = Flag("\\Draft")
    public static let recent = Flag("\\Recent")
    /// `\*` in PERMANENTFLAGS: new keywords may be created.
    public static let wildcard = Flag("\\*")

    private static let systemFlags: [String: String] = [
        "\\seen": "\\Seen", "\\answered": "\\Answered", "\\flagged": "\\Flagged",
        "\\deleted": "\\Deleted", "\\draft": "\\Draft", "\\recent": "\\Recent", "\\*": "\\*",
    ]
}
