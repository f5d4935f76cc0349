import IMAP
import MIME

/// One message as the in-memory mail store holds it: what a server keeps per message.
public struct FakeMessage: Sendable, Hashable {
    public var uid: UID
    public var flags: [Flag]
    /// INTERNALDATE as a server sends it.
    public var internalDate: String
    public var envelope: Envelope
    /// The whole message, CRLF line ends.
    public var raw: [UInt8]

    public init(uid: UID, flags: [Flag], internalDate: String, envelope: Envelope, raw: [UInt8]) {
        self.uid = uid
        self.flags = flags
        self.internalDate = internalDate
        self.envelope = envelope
        self.raw = raw
    }

    /// A message whose envelope is read from `raw`'s header, as a server would build it.
    public init(uid: UID, raw: [UInt8], flags: [Flag] = [], internalDate: String = "14-Jan-2015 21:10:00 +0000") {
        self.init(uid: uid, flags: flags, internalDate: internalDate, envelope: Self.envelope(of: raw), raw: raw)
    }

    /// A small text/plain message.
    public static func text(subject: String, from: String = "ann@example.com", to: String = "bob@example.com",
                            body: String = "Hello there.", messageID: String? = nil) -> [UInt8] {
        var header = "From: \(from)\r\nTo: \(to)\r\nSubject: \(subject)\r\nDate: Wed, 14 Jan 2015 21:10:00 +0000\r\n"
        if let messageID { header += "Message-ID: \(messageID)\r\n" }
        header += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        return Array((header + body + "\r\n").utf8)
    }

    /// The header section, up to and including the blank line.
    var header: ArraySlice<UInt8> { raw[..<bodyStart] }
    /// What follows the blank line.
    var text: ArraySlice<UInt8> { raw[bodyStart...] }

    private var bodyStart: Int {
        if let end = raw.firstRange(of: [13, 10, 13, 10]) { return end.upperBound }
        if let end = raw.firstRange(of: [10, 10]) { return end.upperBound }
        return raw.count
    }

    /// The fields ENVELOPE carries, taken from the header as raw text (as IMAP sends them).
    static func envelope(of raw: [UInt8]) -> Envelope {
        let parsed = MIMEMessage.parse(raw)
        let fields = rawHeaderFields(raw)
        func addresses(_ list: [MailAddress]) -> [EnvelopeAddress] {
            list.map { address in
                let parts = address.email.split(separator: "@", maxSplits: 1).map(String.init)
                return EnvelopeAddress(name: address.name, adl: nil, mailbox: parts.first,
                                       host: parts.count > 1 ? parts[1] : nil)
            }
        }
        let from = addresses(parsed.from)
        return Envelope(
            date: fields["date"], subject: fields["subject"], from: from,
            sender: parsed.sender.isEmpty ? from : addresses(parsed.sender),
            replyTo: parsed.replyTo.isEmpty ? from : addresses(parsed.replyTo),
            to: addresses(parsed.to), cc: addresses(parsed.cc), bcc: addresses(parsed.bcc),
            inReplyTo: fields["in-reply-to"], messageID: fields["message-id"])
    }

    /// Unfolded header fields by lowercased name (the first of each), values as sent.
    private static func rawHeaderFields(_ raw: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var current: (name: String, value: String)?
        for line in String(decoding: raw, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                current?.value += " " + line.drop { $0 == " " || $0 == "\t" }
                continue
            }
            if let current, fields[current.name] == nil { fields[current.name] = current.value }
            guard let colon = line.firstIndex(of: ":") else { current = nil; continue }
            current = (line[..<colon].lowercased(), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        if let current, fields[current.name] == nil { fields[current.name] = current.value }
        return fields
    }
}

/// One folder of the store.
public struct FakeFolder: Sendable {
    public var name: MailboxName
    public var uidValidity: UIDValidity
    public var uidNext: UID
    /// Ascending by UID: the index plus one is the sequence number.
    public var messages: [FakeMessage]
    public var subscribed: Bool
    /// LIST attributes, e.g. `\Trash`.
    public var attributes: [String]

    public init(name: MailboxName, uidValidity: UIDValidity, uidNext: UID? = nil, messages: [FakeMessage] = [],
                subscribed: Bool = true, attributes: [String] = []) {
        self.name = name
        self.uidValidity = uidValidity
        self.messages = messages.sorted { $0.uid < $1.uid }
        self.uidNext = uidNext ?? UID((self.messages.last?.uid.rawValue ?? 0) + 1)
        self.subscribed = subscribed
        self.attributes = attributes
    }

    /// The message with `uid`, if present.
    func index(of uid: UID) -> Int? { messages.firstIndex { $0.uid == uid } }
}
