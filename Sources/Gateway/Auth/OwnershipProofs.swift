import Sockets

/// Which OAuth access tokens have lately proven that they own their mailbox.
///
/// OAuth sessions are pooled by user alone, so that a token the client refreshed finds the warm
/// sessions the old token opened. Handing a warm session to a request is only safe once its
/// token was accepted by the IMAP server for that user: a successful login with it (pooled or an
/// event stream's) records it here. A proof lasts `lifetime`; after that, or for a token never
/// seen, the request gets a session opened with its own token (`SessionPool.acquire(fresh:)`,
/// `GatewayContext.acquireSession`), so a revoked token stops reaching the warm sessions within
/// `lifetime` (`--oauth-proof-window`).
///
/// Only SHA-256 hashes of tokens are kept, at most `capacity` of them.
///
/// Several requests arriving at once with a token not yet proven cost one login: the first
/// logs in (`turn` answers `.prove`), the others wait for its outcome (`.proven`, or the same
/// refusal) instead of each opening a session of its own.
final class OwnershipProofs: Sendable {
    /// What a request whose token needs proof does.
    enum Turn {
        /// No proof needed (any more): use the warm sessions.
        case proven
        /// Log in with the token; then call `finish` with the outcome, whatever it is.
        case prove
        /// A login with this token just failed: answer with its error, without another login.
        case refused(any Error)
    }

    /// How a proving login ended, for the requests waiting on it.
    enum Outcome: Sendable {
        case proven
        case refused(any Error)
        /// Nothing learnt about the token (pool full, server unreachable): the next one tries.
        case undecided
    }

    private struct Key: Hashable {
        let user: String
        let tokenHash: SHA256Digest
    }

    private struct State {
        var proven: [Key: ContinuousClock.Instant] = [:]
        var lifetime: Duration
        /// Proving logins under way, with the requests waiting for each.
        var flights: [Key: [CheckedContinuation<Outcome, Never>]] = [:]
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

    /// Whether the request for `account` may use warm sessions, must prove its token, or gets
    /// the refusal another request's proving login of the same token just had. Waits while such
    /// a login is under way.
    func turn(_ account: Account) async -> Turn {
        guard let hash = account.tokenHash else { return .proven }
        let key = Key(user: account.user, tokenHash: hash)
        while true {
            let now = clock.now
            enum Step { case proven, lead, join }
            let step: Step = state.withLock { state in
                if let since = state.proven[key], now - since < state.lifetime { return .proven }
                if state.flights[key] == nil {
                    state.flights[key] = []
                    return .lead
                }
                return .join
            }
            switch step {
            case .proven: return .proven
            case .lead: return .prove
            case .join:
                let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                    let joined = state.withLock { state in
                        guard state.flights[key] != nil else { return false }
                        state.flights[key]?.append(continuation)
                        return true
                    }
                    // The login ended in between: look again.
                    if !joined { continuation.resume(returning: .undecided) }
                }
                switch outcome {
                case .proven: return .proven
                case .refused(let error): return .refused(error)
                case .undecided: continue
                }
            }
        }
    }

    /// Whether `account`'s token proved itself within the lifetime, without waiting or starting
    /// a login (a read answered from a watched mirror, no IMAP session at all). True for a
    /// password account: its proof is the pool key's password hash.
    func isProven(_ account: Account) -> Bool {
        guard let hash = account.tokenHash else { return true }
        let now = clock.now
        return state.withLock { state in
            state.proven[Key(user: account.user, tokenHash: hash)].map { now - $0 < state.lifetime } ?? false
        }
    }

    /// The proving login for `account` (after `turn` answered `.prove`) ended with `outcome`.
    func finish(_ account: Account, _ outcome: Outcome) {
        guard let hash = account.tokenHash else { return }
        let waiting = state.withLock { $0.flights.removeValue(forKey: Key(user: account.user, tokenHash: hash)) } ?? []
        for continuation in waiting { continuation.resume(returning: outcome) }
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
