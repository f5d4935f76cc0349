/// A mailbox's role (RFC 6154), also derived from Gmail's XLIST names.
public enum SpecialUse: String, Sendable, Hashable, CaseIterable {
    case inbox, drafts, sent, trash, junk, archive, all, flagged

    /// The role named by LIST attributes (`\Sent`, XLIST's `\AllMail`...), nil when none.
    public init?(attributes: [String]) {
        for attribute in attributes {
            switch attribute.lowercased() {
            case "\\drafts": self = .drafts
            case "\\sent": self = .sent
            case "\\trash": self = .trash
            case "\\junk", "\\spam": self = .junk
            case "\\archive": self = .archive
            case "\\all", "\\allmail": self = .all
            case "\\flagged", "\\starred": self = .flagged
            case "\\inbox": self = .inbox
            default: continue
            }
            return
        }
        return nil
    }
}

/// One mailbox from LIST, with its role, subscription and (when asked) status.
public struct MailboxListing: Sendable, Hashable {
    public var name: MailboxName
    /// nil for a flat namespace (`NIL` delimiter).
    public var delimiter: Character?
    /// As the server sent them: `\HasNoChildren`, `\Noselect`, `\Sent`...
    public var attributes: [String]
    public var specialUse: SpecialUse?
    /// nil when the server could not tell.
    public var subscribed: Bool?
    /// When `includeStatus` was asked and the mailbox is selectable.
    public var status: MailboxStatus?

    public init(
        name: MailboxName, delimiter: Character?, attributes: [String], specialUse: SpecialUse? = nil,
        subscribed: Bool? = nil, status: MailboxStatus? = nil
    ) {
        self.name = name; self.delimiter = delimiter; self.attributes = attributes
        self.specialUse = specialUse; self.subscribed = subscribed; self.status = status
    }

    /// False for `\Noselect` and `\NonExistent` mailboxes (hierarchy placeholders).
    public var selectable: Bool {
        !attributes.contains { ["\\noselect", "\\nonexistent"].contains($0.lowercased()) }
    }

    func hasAttribute(_ name: String) -> Bool { attributes.contains { $0.lowercased() == name.lowercased() } }
}
