/// A whole RFC 5322 message, parsed: decoded headers, text and HTML bodies, attachments with
/// their IMAP section numbers, attached messages, and everything that could not be decoded cleanly.
///
/// Parsing never fails and never crashes: malformed input yields the best reading plus notes in
/// `decodingProblems`. It runs in time linear in the message size (times nesting depth, which
/// is capped at `maxDepth`).
public struct MIMEMessage: Sendable {
    /// All header fields, in order, decoded.
    public var headers: [MIMEHeader]
    /// The decoded `Subject`, nil when absent.
    public var subject: String?
    /// `From` addresses (all `From` fields, groups flattened).
    public var from: [MailAddress]
    /// `Sender` addresses.
    public var sender: [MailAddress]
    /// `Reply-To` addresses.
    public var replyTo: [MailAddress]
    /// `To` addresses (all `To` fields, groups flattened).
    public var to: [MailAddress]
    /// `Cc` addresses.
    public var cc: [MailAddress]
    /// `Bcc` addresses.
    public var bcc: [MailAddress]
    /// The first identifier of `Message-ID`, angle brackets kept.
    public var messageId: String?
    /// The first identifier of `In-Reply-To`, angle brackets kept.
    public var inReplyTo: String?
    /// All identifiers of `References`, angle brackets kept.
    public var references: [String]
    /// The `Date` header; nil when absent or unparseable (the latter is also in `decodingProblems`).
    public var date: MailDate?
    /// The text/plain body parts joined, decoded to UTF-8, line ends normalised to LF; nil when none.
    public var textBody: String?
    /// The text/html body parts joined, decoded to UTF-8, line ends normalised to LF; nil when none.
    public var htmlBody: String?
    /// Files, inline images and attached messages, in document order. An attached message is
    /// followed by the attachments inside it (part ids `3.2`, `3.1.1`, ...), at any depth; its
    /// text and HTML bodies are not listed (they are in `attachedMessages`).
    public var attachments: [MIMEAttachment]
    /// message/rfc822 parts, parsed.
    public var attachedMessages: [AttachedMessage]
    /// Every leaf part of this message (not of attached messages), in document order.
    public var parts: [MIMEPart]
    /// Human-readable notes about anything not decoded cleanly. Empty for clean mail.
    public var decodingProblems: [String]

    /// Nesting deeper than this (multiparts and attached messages) is not walked into.
    public static let maxDepth = 32

    /// Parses a complete message (header and body). Header-only input (e.g. `BODY[HEADER]`) works too.
    public static func parse(_ bytes: [UInt8]) -> MIMEMessage {
        MessageWalker.parseMessage(bytes, range: 0..<bytes.count, prefix: "", depth: 0)
    }

    /// Whether the message has parts a user would call attachments (disposition `attachment`,
    /// or inline parts that are not referenced by Content-ID).
    public var hasAttachment: Bool {
        attachments.contains { $0.disposition != "inline" || $0.contentId == nil }
    }

    /// About 200 characters of the text body (or the HTML body's text), whitespace collapsed.
    public var preview: String {
        if let textBody, !textBody.isEmpty { return TextPreview.preview(text: textBody) }
        if let htmlBody { return TextPreview.preview(html: htmlBody) }
        return ""
    }
}
