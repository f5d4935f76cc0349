/// One entry of an ENVELOPE address list (RFC 3501 `address`).
///
/// Groups (RFC 2822) arrive as a start marker (`host == nil`, `mailbox` = group name) and an end
/// marker (`host == nil`, `mailbox == nil`); `isGroupStart` / `isGroupEnd` name them.
/// Strings are raw header text: RFC 2047 words are decoded later by the MIME module.
public struct EnvelopeAddress: Hashable, Sendable {
    public var name: String?
    public var adl: String?
    public var mailbox: String?
    public var host: String?

    public init(name: String?, adl: String?, mailbox: String?, host: String?) {
        self.name = name; self.adl = adl; self.mailbox = mailbox; self.host = host
    }

    public var isGroupStart: Bool { host == nil && mailbox != nil }
    public var isGroupEnd: Bool { host == nil && mailbox == nil }
    /// `mailbox@host`, or just the mailbox when the host is missing.
    public var email: String? {
        guard let mailbox else { return nil }
        guard let host, !host.isEmpty else { return mailbox }
        // Bytes copied into one new string: this runs for every address of every listed message,
        // and interpolation or `+=` cost a growth step or two each.
        var local = mailbox, domain = host
        return local.withUTF8 { local in
            domain.withUTF8 { domain in
                String(unsafeUninitializedCapacity: local.count + 1 + domain.count) { buffer in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(local))
                    buffer[local.count] = UInt8(ascii: "@")
                    UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[(local.count + 1)...])
                        .copyMemory(from: UnsafeRawBufferPointer(domain))
                    return local.count + 1 + domain.count
                }
            }
        }
    }
}

/// A message's ENVELOPE (RFC 3501 §7.4.2): header fields as raw strings, address lists as arrays
/// (NIL and `()` both become empty arrays).
public struct Envelope: Hashable, Sendable {
    public var date: String?
    public var subject: String?
    public var from: [EnvelopeAddress]
    public var sender: [EnvelopeAddress]
    public var replyTo: [EnvelopeAddress]
    public var to: [EnvelopeAddress]
    public var cc: [EnvelopeAddress]
    public var bcc: [EnvelopeAddress]
    public var inReplyTo: String?
    public var messageID: String?

    public init(
        date: String? = nil, subject: String? = nil, from: [EnvelopeAddress] = [],
        sender: [EnvelopeAddress] = [], replyTo: [EnvelopeAddress] = [], to: [EnvelopeAddress] = [],
        cc: [EnvelopeAddress] = [], bcc: [EnvelopeAddress] = [], inReplyTo: String? = nil,
        messageID: String? = nil
    ) {
        self.date = date; self.subject = subject; self.from = from; self.sender = sender
        self.replyTo = replyTo; self.to = to; self.cc = cc; self.bcc = bcc
        self.inReplyTo = inReplyTo; self.messageID = messageID
    }
}
