/// Sizes and timeouts of the IMAP session pool.
public struct PoolConfiguration: Sendable {
    /// Sessions per account at most (Dovecot allows 10 per user and IP, Gmail 15, shared with
    /// the user's other mail clients).
    public var perAccount: Int = 3
    /// Sessions across all accounts at most.
    public var global: Int = 50
    /// How long a request waits for a free session before it gets 503.
    public var acquireTimeout: Duration = .seconds(10)
    /// A session idle longer than this is checked with NOOP before reuse.
    public var noopAfterIdle: Duration = .seconds(60)
    /// A session idle longer than this is logged out.
    public var idleTimeout: Duration = .seconds(300)

    public init() {}
}
