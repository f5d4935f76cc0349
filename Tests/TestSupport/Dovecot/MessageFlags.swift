/// System flags for messages seeded with `Dovecot.deliver`, stored as maildir info letters.
public struct MessageFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let seen = MessageFlags(rawValue: 1 << 0)
    public static let answered = MessageFlags(rawValue: 1 << 1)
    public static let flagged = MessageFlags(rawValue: 1 << 2)
    public static let deleted = MessageFlags(rawValue: 1 << 3)
    public static let draft = MessageFlags(rawValue: 1 << 4)

    /// The maildir `:2,` suffix letters; maildir wants them in ASCII order.
    var maildirLetters: String {
        var letters = ""
        if contains(.draft) { letters += "D" }
        if contains(.flagged) { letters += "F" }
        if contains(.answered) { letters += "R" }
        if contains(.seen) { letters += "S" }
        if contains(.deleted) { letters += "T" }
        return letters
    }
}
