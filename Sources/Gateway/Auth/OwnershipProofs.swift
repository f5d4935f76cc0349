import Sockets

/// Which OAuth access tokens have lately proven that they own their mailbox.
///
/// OAuth sessions are pooled by user alone, so that a token the client refreshed finds the warm
/// sessions the old token opened. Handing a warm session to a request is only safe once its
/// token was accepted by the IMAP server for that user: a successful login with it (pooled or an
/// event stream's) records it here. A proof lasts `lifetime`; after that, or for a token never
/// seen, the request gets a session opened with its own token (`SessionPool.acquire(fresh:)`),
/// so a revoked token stops reaching the warm sessions within `lifetime`.
///
/// Only SHA-256 hashes of tokens are kept, at most `capacity` of them.
final class OwnershipProofs: Sendable {
    private struct Key: Hashable {
        let user: String
        let tokenHash: SHA256Digest
    }

    private struct State {
        var proven: [Key: ContinuousClock.Instant] = [:]
        var lifetime: Duration
    }

    private let state: Protected<State>
    private let clock = ContinuousClock()
    private let capacity = 50_000

    init(lifetime: Duration = .seconds(300)) {
        state = Protected(State(lifetime: lifetime))
    }

    /// How long a successful login vouches for its token.
    var lifetime: Duration {
        get { state.withLock { $0.lifetime } }
        set { state.withLock { $0.lifetime = newValue } }
    }

    /// Whether `account`'s token must log in before it may use the user's warm sessions.
    /// Password accounts never need to: their pool key contains the password's hash.
    func needsProof(_ account: Account) -> Bool {
        guard let hash = account.tokenHash else { return false }
        let now = clock.now
        return state.withLock { state in
            guard let since = state.proven[Key(user: account.user, tokenHash: hash)] else { return true }
            return now - since >= state.lifetime
        }
    }

    /// A login with `account`'s token just succeeded.
    func recordProof(_ account: Account) {
        guard let hash = account.tokenHash else { return }
        let now = clock.now
        state.withLock { state in
            if state.proven.count >= capacity {
                let lifetime = state.lifetime
                state.proven = state.proven.filter { now - $0.value < lifetime }
                if state.proven.count >= capacity { state.proven.removeAll() }
            }
            state.proven[Key(user: account.user, tokenHash: hash)] = now
        }
    }

    /// A login with `account`'s token failed: it vouches for nothing any more.
    func recordFailure(_ account: Account) {
        guard let hash = account.tokenHash else { return }
        _ = state.withLock { $0.proven.removeValue(forKey: Key(user: account.user, tokenHash: hash)) }
    }
}
