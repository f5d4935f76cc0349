/// A session lent to one request; give it back with `SessionPool.release` or `discard`.
public struct SessionLease<Connection: PooledConnection>: Sendable {
    let id: Int
    public let connection: Connection
    public let account: AccountKey
    /// The folder the session had selected when it was lent (nil for a fresh one).
    public let selection: FolderSelection?
    /// How long the session sat idle before this lease; zero for a fresh one.
    public let idleTime: Duration
    /// Whether the session was opened for this lease.
    public let isFresh: Bool
}
