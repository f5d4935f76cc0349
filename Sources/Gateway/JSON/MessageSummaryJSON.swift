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
    /// What could not be decoded cleanly (written only when not empty in lists).
    public var decodingProblems: [String] = []
    /// Which members to write.
    public var fields: Set<SummaryField> = SummaryField.defaults

    public init(uid: UInt32) { self.uid = uid }

    enum CodingKeys: String, CodingKey {
        case uid, messageId, subject, from, to, cc, replyTo, inReplyTo, sentAt, receivedAt, flags, size,
             hasAttachment, preview, decodingProblems
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uid, forKey: .uid)
        for field in SummaryField.allCases where fields.contains(field) {
            switch field {
            case .uid: break
            case .messageId: try container.encode(messageId, forKey: .messageId)
            case .subject: try container.encode(subject, forKey: .subject)
            case .from: try container.encode(from, forKey: .from)
            case .to: try container.encode(to, forKey: .to)
            case .cc: try container.encode(cc, forKey: .cc)
            case .replyTo: try container.encode(replyTo, forKey: .replyTo)
            case .inReplyTo: try container.encode(inReplyTo, forKey: .inReplyTo)
            case .sentAt: try container.encode(sentAt, forKey: .sentAt)
            case .receivedAt: try container.encode(receivedAt, forKey: .receivedAt)
            case .flags: try container.encode(flags, forKey: .flags)
            case .size: try container.encode(size, forKey: .size)
            case .hasAttachment: try container.encode(hasAttachment, forKey: .hasAttachment)
            case .preview: try container.encode(preview, forKey: .preview)
            }
        }
        if !decodingProblems.isEmpty { try container.encode(decodingProblems, forKey: .decodingProblems) }
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

    private enum CodingKeys: String, CodingKey { case folder, uidValidity, total, messages, nextCursor }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(folder, forKey: .folder)
        try container.encode(uidValidity, forKey: .uidValidity)
        try container.encode(total, forKey: .total)
        try container.encode(messages, forKey: .messages)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
