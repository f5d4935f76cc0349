/// A `message/rfc822` part, parsed. Its own part ids continue the outer numbering
/// (`"3.1"`, `"3.2"` for an attached message at part `"3"`).
public struct AttachedMessage: Sendable {
    /// The section number of the message/rfc822 part itself.
    public var partId: String
    /// The attached message, parsed.
    public var message: MIMEMessage
}
