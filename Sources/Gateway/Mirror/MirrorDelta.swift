import IMAP

/// A set of changes to apply to a mirror at once: what a sync found or a write's tagged OK
/// established.
public struct MirrorDelta: Sendable {
    /// The folder's UIDVALIDITY as the server reports it now; a different one resets the mirror.
    public var uidValidity: UIDValidity?
    public var uidNext: UID?
    public var highestModSeq: ModSequence?
    public var destroyed: [UID] = []
    public var flagUpdates: [FlagUpdate] = []
    public var created: [MirrorMessage] = []
    /// After a fill chunk: every message from this UID up is now mirrored.
    public var coveredFrom: UID?

    public init(uidValidity: UIDValidity? = nil, uidNext: UID? = nil, highestModSeq: ModSequence? = nil) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.highestModSeq = highestModSeq
    }

    /// Nothing to change.
    public var isEmpty: Bool {
        uidValidity == nil && uidNext == nil && highestModSeq == nil && destroyed.isEmpty && flagUpdates.isEmpty
            && created.isEmpty && coveredFrom == nil
    }
}

/// A message's complete flag list now (and its MODSEQ when known).
public struct FlagUpdate: Sendable, Hashable {
    public var uid: UID
    public var flags: [String]
    public var modSeq: ModSequence?

    public init(uid: UID, flags: [String], modSeq: ModSequence? = nil) {
        self.uid = uid
        self.flags = flags
        self.modSeq = modSeq
    }
}
