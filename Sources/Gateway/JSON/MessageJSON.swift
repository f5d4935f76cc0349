/// `GET /folders/{folder}/messages/{uid}`: the summary plus headers, bodies and attachments.
public struct MessageJSON: Encodable, Sendable {
    public var summary: MessageSummaryJSON
    public var bcc: [AddressJSON] = []
    public var sender: [AddressJSON] = []
    public var references: [String] = []
    /// Every header field, decoded, in message order.
    public var headers: [HeaderJSON] = []
    public var textBody: String?
    public var htmlBody: String?
    public var attachments: [AttachmentJSON] = []
    /// True when the message was too large to fetch whole and only its text parts were read.
    public var truncated = false

    public init(summary: MessageSummaryJSON) { self.summary = summary }

    private enum CodingKeys: String, CodingKey {
        case bcc, sender, references, headers, textBody, htmlBody, attachments, decodingProblems, truncated
    }

    public func encode(to encoder: any Encoder) throws {
        var summary = self.summary
        // `gmail` only where the server has it (X-GM-EXT-1), not as a null everywhere else.
        summary.fields = Set(SummaryField.allCases).subtracting(summary.gmail == nil ? [.gmail] : [])
        summary.decodingProblems = []
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bcc, forKey: .bcc)
        try container.encode(sender, forKey: .sender)
        try container.encode(references, forKey: .references)
        try container.encode(headers, forKey: .headers)
        try container.encode(textBody, forKey: .textBody)
        try container.encode(htmlBody, forKey: .htmlBody)
        try container.encode(attachments, forKey: .attachments)
        try container.encode(self.summary.decodingProblems, forKey: .decodingProblems)
        try container.encode(truncated, forKey: .truncated)
    }
}

/// One header field: `{"name": "Subject", "value": "Grüße"}`.
public struct HeaderJSON: Encodable, Sendable, Hashable {
    public var name: String
    public var value: String
}

/// An attachment (or inline part) with the link that downloads it.
public struct AttachmentJSON: Encodable, Sendable, Hashable {
    /// The IMAP section number (`2`, `1.3`): `BODY.PEEK[partId]`.
    public var partId: String
    @ExplicitNull public var filename: String?
    public var contentType: String
    /// Encoded size in octets as the server reports it.
    public var size: Int
    /// `attachment`, `inline`, or null when the part has no Content-Disposition.
    @ExplicitNull public var disposition: String?
    @ExplicitNull public var contentId: String?
    public var href: String
}
