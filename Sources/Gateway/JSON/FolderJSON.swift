/// One folder in `GET /folders`, as api.md shows it.
public struct FolderJSON: Encodable, Sendable, Hashable {
    public var name: String
    public var delimiter: String?
    public var parent: String?
    public var leaf: String
    /// `inbox`, `drafts`, `sent`, `trash`, `junk`, `archive`, `all`, `flagged`, or nil.
    public var specialUse: String?
    public var attributes: [String]
    public var selectable: Bool
    public var subscribed: Bool
    public var href: String
    /// Present only with `?status=true`.
    public var status: FolderCountsJSON?

    private enum CodingKeys: String, CodingKey {
        case name, delimiter, parent, leaf, specialUse, attributes, selectable, subscribed, href, status
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(delimiter, forKey: .delimiter)
        try container.encode(parent, forKey: .parent)
        try container.encode(leaf, forKey: .leaf)
        try container.encode(specialUse, forKey: .specialUse)
        try container.encode(attributes, forKey: .attributes)
        try container.encode(selectable, forKey: .selectable)
        try container.encode(subscribed, forKey: .subscribed)
        try container.encode(href, forKey: .href)
        try container.encodeIfPresent(status, forKey: .status)
    }
}

/// STATUS counts of a folder: `{"messages": 3, "unseen": 1, "uidNext": 4, "uidValidity": 1795828905}`.
public struct FolderCountsJSON: Encodable, Sendable, Hashable {
    public var messages: Int?
    public var unseen: Int?
    public var uidNext: UInt32?
    public var uidValidity: UInt32?

    private enum CodingKeys: String, CodingKey { case messages, unseen, uidNext, uidValidity }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messages, forKey: .messages)
        try container.encode(unseen, forKey: .unseen)
        try container.encode(uidNext, forKey: .uidNext)
        try container.encode(uidValidity, forKey: .uidValidity)
    }
}

/// `GET /folders`: `{"folders": [...]}`.
public struct FolderListJSON: Encodable, Sendable, Hashable {
    public var folders: [FolderJSON]
}
