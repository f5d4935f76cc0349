/// What a client tells SELECT/EXAMINE with QRESYNC (RFC 7162 §3.2.5) so the server reports only
/// what changed since its last visit: `(QRESYNC (uidvalidity modseq [known-uids]))`.
///
/// The server then sends `VANISHED (EARLIER)` for known UIDs expunged since and `FETCH (UID FLAGS
/// MODSEQ)` for messages changed since `modSeq`. When `uidValidity` no longer matches, it sends
/// none of that (the client must drop what it knows).
public struct QResyncParameters: Hashable, Sendable {
    /// The UIDVALIDITY the client's copy belongs to.
    public var uidValidity: UIDValidity
    /// The HIGHESTMODSEQ the client's copy is current to.
    public var modSeq: ModSequence
    /// The UIDs the client holds; lets the server limit VANISHED to those (nil: all it remembers).
    public var knownUIDs: UIDSet?

    public init(uidValidity: UIDValidity, modSeq: ModSequence, knownUIDs: UIDSet? = nil) {
        self.uidValidity = uidValidity
        self.modSeq = modSeq
        self.knownUIDs = knownUIDs
    }
}
