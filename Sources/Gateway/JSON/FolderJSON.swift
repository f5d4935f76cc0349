/// One folder in `GET /folders`, as api.md shows it.
public struct FolderJSON: Encodable, Sendable, Hashable {
    public var name: String
    @ExplicitNull public var delimiter: String?
    @ExplicitNull public var parent: String?
    public var leaf: String
    /// `inbox`, `drafts`, `sent`, `trash`, `junk`, `archive`, `all`, `flagged`, or nil.
    @ExplicitNull public var specialUse: String?
    public var attributes: [String]
    public var selectable: Bool
    public var subscribed: Bool
    public var href: String
    /// Present only with `?status=true`.
    public var status: FolderCountsJSON?
}

/// STATUS counts of a folder: `{"messages": 3, "unseen": 1, "uidNext": 4, "uidValidity": 1795828905}`.
public struct FolderCountsJSON: Encodable, Sendable, Hashable {
    @ExplicitNull public var messages: Int?
    @ExplicitNull public var unseen: Int?
    @ExplicitNull public var uidNext: UInt32?
    @ExplicitNull public var uidValidity: UInt32?
}

/// `GET /folders`: `{"folders": [...]}`.
public struct FolderListJSON: Encodable, Sendable, Hashable {
    public var folders: [FolderJSON]
}
