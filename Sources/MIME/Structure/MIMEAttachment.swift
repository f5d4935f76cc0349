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
