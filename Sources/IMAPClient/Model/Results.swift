/// What COPY or MOVE reported through COPYUID (RFC 4315): where each message went.
public struct CopyResult: Sendable {
    /// The destination mailbox's UIDVALIDITY.
    public var uidValidity: UIDValidity
    public var mapping: [(source: UID, destination: UID)]

    public init(uidValidity: UIDValidity, mapping: [(source: UID, destination: UID)]) {
        self.uidValidity = uidValidity; self.mapping = mapping
    }

    /// The destination UID of `source`, if the server reported it.
    public func destination(of source: UID) -> UID? { mapping.first { $0.source == source }?.destination }
}

/// What APPEND reported through APPENDUID (RFC 4315).
public struct AppendResult: Sendable, Hashable {
    public var uidValidity: UIDValidity
    public var uid: UID
    public init(uidValidity: UIDValidity, uid: UID) { self.uidValidity = uidValidity; self.uid = uid }
}

/// What a STORE's untagged FETCH reported for one message: its flags now and, on a session with
/// CONDSTORE enabled, the MODSEQ the change gave it (RFC 7162 §3.1.4).
public struct StoredFlags: Sendable, Hashable {
    public var flags: [Flag]
    public var modSeq: ModSequence?
    public init(flags: [Flag], modSeq: ModSequence? = nil) { self.flags = flags; self.modSeq = modSeq }
}
