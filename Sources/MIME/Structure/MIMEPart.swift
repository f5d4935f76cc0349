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
