import IMAP

/// A message's Gmail labels and ids (`"gmail"` in message JSON), present only when the server
/// offers X-GM-EXT-1.
///
/// The ids are decimal strings: they are unsigned 64-bit, and JSON numbers are exact in
/// JavaScript only up to 2^53. Labels are as Gmail shows them: system labels keep their
/// backslash (`\Inbox`, `\Important`), user labels are decoded from modified UTF-7.
public struct GmailJSON: Encodable, Sendable, Hashable {
    public var labels: [String]
    /// X-GM-THRID: the same for every message of a conversation.
    public var threadId: String?
    /// X-GM-MSGID: the message's id, the same in every folder (label) it appears in.
    public var messageId: String?

    public init(labels: [String], threadId: String?, messageId: String?) {
        self.labels = labels; self.threadId = threadId; self.messageId = messageId
    }

    /// The Gmail items of a FETCH response; nil when the server sent none of them.
    init?(_ items: FetchItems) {
        guard items.gmailLabels != nil || items.gmailThreadID != nil || items.gmailMessageID != nil else { return nil }
        self.init(labels: (items.gmailLabels ?? []).map(GmailLabel.displayName),
                  threadId: items.gmailThreadID.map { String($0) },
                  messageId: items.gmailMessageID.map { String($0) })
    }

    /// What a row asked for `gmail` shows when Gmail sent none of the items: no labels, no ids.
    static let none = GmailJSON(labels: [], threadId: nil, messageId: nil)

    /// The FETCH items that read these members.
    static let fetchItems: [FetchItem] = [.gmailLabels, .gmailThreadID, .gmailMessageID]

    private enum CodingKeys: String, CodingKey { case labels, messageId, threadId }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(labels, forKey: .labels)
        try container.encode(messageId, forKey: .messageId)
        try container.encode(threadId, forKey: .threadId)
    }

    /// The list writer's form, keys in the same sorted order.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("labels"); writer.strings(labels)
        writer.key("messageId"); writer.string(messageId)
        writer.key("threadId"); writer.string(threadId)
        writer.endObject()
    }
}
