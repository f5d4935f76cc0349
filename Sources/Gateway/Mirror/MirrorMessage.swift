import IMAP

/// One message as a folder mirror holds it: what a list row shows (the summary's default fields),
/// its MODSEQ, and the threading headers. Everything but `flags` and `modSeq` is immutable for
/// a UIDVALIDITY+UID, so it is fetched once.
public struct MirrorMessage: Sendable {
    public var uid: UID
    /// The list row with every default field (no `preview`: that costs a body fetch).
    public var summary: MessageSummaryJSON
    /// CONDSTORE's MODSEQ of the message; nil without CONDSTORE.
    public var modSeq: ModSequence?
    /// The `References` header, unfolded, for threading; nil when absent or not fetched.
    public var references: String?

    public init(uid: UID, summary: MessageSummaryJSON, modSeq: ModSequence? = nil, references: String? = nil) {
        self.uid = uid
        self.summary = summary
        self.modSeq = modSeq
        self.references = references
    }

    /// The flags as IMAP names them.
    public var flags: [String] { summary.flags }

    /// What this message costs in memory, honestly estimated: the inline struct, every string
    /// that does not fit inline (Swift keeps up to 15 UTF-8 bytes in the string itself, longer
    /// ones in a heap object with a 32-byte header), and each array's heap buffer. Malloc's own
    /// rounding is not counted, so the real figure is somewhat higher (the README states a
    /// measured figure next to this estimate).
    public var estimatedBytes: Int {
        var total = MemoryLayout<MirrorMessage>.stride
        func string(_ value: String?) -> Int {
            guard let count = value?.utf8.count, count > 15 else { return 0 }
            return 32 + count
        }
        func addresses(_ list: [AddressJSON]) -> Int {
            guard !list.isEmpty else { return 0 }
            return 32 + list.count * MemoryLayout<AddressJSON>.stride
                + list.reduce(0) { $0 + string($1.name) + string($1.email) }
        }
        total += string(summary.messageId) + string(summary.subject) + string(summary.inReplyTo)
        total += string(summary.sentAt) + string(summary.receivedAt) + string(references)
        total += addresses(summary.from) + addresses(summary.to) + addresses(summary.cc) + addresses(summary.replyTo)
        if !summary.flags.isEmpty {
            total += 32 + summary.flags.count * MemoryLayout<String>.stride + summary.flags.reduce(0) { $0 + string($1) }
        }
        if !summary.decodingProblems.isEmpty {
            total += 32 + summary.decodingProblems.reduce(0) { $0 + MemoryLayout<String>.stride + string($1) }
        }
        return total
    }
}
