/// Why the pool could not hand out a session.
public enum PoolError: Error, Sendable, CustomStringConvertible {
    /// No session of `account` became free within `waited`.
    case exhausted(account: String, waited: Duration)
    /// The pool is shutting down.
    case shuttingDown

    public var description: String {
        switch self {
        case .exhausted(let account, let waited):
            "No IMAP session for \(account) became free within \(waited)."
        case .shuttingDown:
            "The gateway is shutting down."
        }
    }
}
