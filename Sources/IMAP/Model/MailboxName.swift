/// A mailbox name: the bytes as they travel on the IMAP wire and the UTF-8 name people see.
///
/// On the wire names are modified UTF-7 (RFC 3501 §5.1.3) unless UTF8=ACCEPT is enabled; some
/// servers send raw UTF-8 anyway. A wire name that is not valid modified UTF-7 is kept as it is
/// (its bytes read as UTF-8) instead of failing, so an odd folder never breaks a listing.
public struct MailboxName: Hashable, Sendable, CustomStringConvertible {
    /// Exactly what the server sent, or what we send.
    public let wireBytes: [UInt8]
    /// The name for humans and JSON, UTF-8.
    public let displayName: String

    /// From the server: decodes modified UTF-7 when valid.
    public init(wire bytes: [UInt8]) {
        wireBytes = bytes
        displayName = ModifiedUTF7.decode(bytes) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// From a person: encodes to modified UTF-7 for the wire (or keeps UTF-8 when `utf8` is true,
    /// for sessions that enabled UTF8=ACCEPT).
    public init(_ displayName: String, utf8: Bool = false) {
        self.displayName = displayName
        wireBytes = utf8 ? Array(displayName.utf8) : ModifiedUTF7.encode(displayName)
    }

    public static let inbox = MailboxName("INBOX")

    /// INBOX is case-insensitive (RFC 3501 §5.1).
    public var isInbox: Bool { displayName.uppercased() == "INBOX" }
    public var description: String { displayName }
}
