/// How a command sent to the server ended, as metrics count it.
public enum IMAPCommandOutcome: String, Sendable, CaseIterable {
    /// Tagged OK.
    case ok
    /// Tagged NO (a refused LOGIN included).
    case no
    /// Tagged BAD.
    case bad
    /// No tagged answer: connection lost, timeout, garbage, a value that could not be sent.
    case error
}

/// Told of every command a connection sends, by its wire name (`UID FETCH`), once it has ended.
/// Set on `IMAPServerConfiguration`, it sees the commands of every connection made with it,
/// whichever code path sent them: the gateway's metrics are counted here, below every seam.
public typealias IMAPCommandObserver = @Sendable (_ command: String, _ outcome: IMAPCommandOutcome) -> Void
