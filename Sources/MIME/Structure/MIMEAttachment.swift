/// A part that is not the message's text or HTML body: a file, an inline image, an attached message.
public struct MIMEAttachment: Sendable, Hashable {
    /// The IMAP section number (`"2"`, `"1.2"`), usable as `BODY.PEEK[partId]`.
    public var partId: String
    /// From `Content-Disposition` `filename` / `filename*`, else `Content-Type` `name`; decoded.
    public var filename: String?
    /// `type/subtype`, lowercased.
    public var contentType: String
    /// Size in bytes after transfer decoding.
    public var size: Int
    /// `attachment` or `inline` as the sender wrote it; when absent, `inline` for parts with a
    /// Content-ID (images referenced from HTML) and `attachment` otherwise.
    public var disposition: String
    /// The Content-ID without angle brackets (what `cid:` URLs reference), nil when absent.
    public var contentId: String?
    /// The `charset` parameter of the part, if any.
    public var charset: String?
    /// How the part is encoded in the message (what a streaming decoder needs).
    public var transferEncoding: ContentTransferEncoding

    /// Creates an attachment description.
    public init(partId: String, filename: String?, contentType: String, size: Int, disposition: String,
                contentId: String?, charset: String? = nil, transferEncoding: ContentTransferEncoding = .sevenBit) {
        self.partId = partId
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.disposition = disposition
        self.contentId = contentId
        self.charset = charset
        self.transferEncoding = transferEncoding
    }
}

/// A `message/rfc822` part, parsed. Its own part ids continue the outer numbering
/// (`"3.1"`, `"3.2"` for an attached message at part `"3"`).
public struct AttachedMessage: Sendable {
    /// The section number of the message/rfc822 part itself.
    public var partId: String
    /// The attached message, parsed.
    public var message: MIMEMessage
}

/// One leaf of the MIME tree (multipart containers are not listed), in document order.
public struct MIMEPart: Sendable, Hashable {
    /// What the walker made of the part.
    public enum Role: String, Sendable, Hashable {
        /// Contributes to `textBody`.
        case text
        /// Contributes to `htmlBody`.
        case html
        /// Listed in `attachments`.
        case attachment
        /// A message/rfc822 part: listed in `attachments` and walked into (`attachedMessages`).
        case message
    }

    /// The IMAP section number.
    public var partId: String
    /// The part's `Content-Type` (text/plain when absent).
    public var contentType: ContentType
    /// The part's `Content-Disposition`, if any.
    public var disposition: ContentDisposition?
    /// How the part is encoded in the message.
    public var transferEncoding: ContentTransferEncoding
    /// The Content-ID without angle brackets.
    public var contentId: String?
    /// Size in bytes after transfer decoding.
    public var size: Int
    /// Text body, HTML body, attachment or attached message.
    public var role: Role
}
