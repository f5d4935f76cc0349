/// One message in a list; only the members in `fields` are written.
public struct MessageSummaryJSON: Encodable, Sendable {
    public var uid: UInt32
    public var messageId: String?
    public var subject: String?
    public var from: [AddressJSON] = []
    public var to: [AddressJSON] = []
    public var cc: [AddressJSON] = []
    public var replyTo: [AddressJSON] = []
    public var inReplyTo: String?
    /// RFC 3339 with the Date header's own offset; nil when the header is missing or unparseable.
    public var sentAt: String?
    /// INTERNALDATE as RFC 3339 UTC.
    public var receivedAt: String?
    public var flags: [String] = []
    public var size: Int?
    public var hasAttachment = false
    public var preview: String?
    /// Gmail's labels and ids; nil unless the server offers X-GM-EXT-1 and sent them.
    public var gmail: GmailJSON?
    /// What could not be decoded cleanly (written only when not empty in lists).
    public var decodingProblems: [String] = []
    /// Which members to write.
    public var fields: Set<SummaryField> = SummaryField.defaults

    public init(uid: UInt32) { self.uid = uid }

    private enum ProblemsKey: String, CodingKey { case decodingProblems }

    /// The `Encodable` form (a full message embeds it); lists are written by `write(to:)`, from
    /// the same `SummaryField` description.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SummaryField.self)
        for field in SummaryField.allCases where field == .uid || fields.contains(field) {
            try container.encode(field.value(in: self), forKey: field)
        }
        if !decodingProblems.isEmpty {
            var problems = encoder.container(keyedBy: ProblemsKey.self)
            try problems.encode(decodingProblems, forKey: .decodingProblems)
        }
    }
}

/// `GET /folders/{folder}/messages`: one page.
public struct MessageListJSON: Encodable, Sendable {
    public var folder: String
    public var uidValidity: UInt32
    /// How many messages match, over all pages.
    public var total: Int
    public var messages: [MessageSummaryJSON]
    /// Pass as `cursor` for the next page; null on the last page.
    public var nextCursor: String?
    /// The folder mirror's state the page was cut from; absent when the page came from IMAP.
    public var state: String? = nil

    private enum CodingKeys: String, CodingKey { case folder, uidValidity, total, messages, nextCursor, state }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(folder, forKey: .folder)
        try container.encode(uidValidity, forKey: .uidValidity)
        try container.encode(total, forKey: .total)
        try container.encode(messages, forKey: .messages)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encodeIfPresent(state, forKey: .state)
    }
}
