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
