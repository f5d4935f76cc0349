import Sockets
/// Slows down guessing: after `limit` failed logins within `window` from one client address or
/// for one user, further attempts are refused (429) until the oldest failure leaves the window.
final class LoginThrottle: Sendable {
    private let limit: Int
    private let window: Duration
    private let clock = ContinuousClock()
    private let failures = Protected<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    /// How long `client` (an address) or `user` must wait, or nil when they may try.
    func retryAfter(client: String, user: String?) -> Duration? {
        let now = clock.now
        let keys = ["client:" + client] + (user.map { ["user:" + $0] } ?? [])
        return failures.withLock { table in
            keys.compactMap { key -> Duration? in
                let recent = (table[key] ?? []).filter { now - $0 < window }
                table[key] = recent.isEmpty ? nil : recent
                guard recent.count >= limit, let oldest = recent.first else { return nil }
                return window - (now - oldest)
            }.max()
        }
    }

    /// Counts one failed login against the client address and the user.
    func recordFailure(client: String, user: String?) {
        let now = clock.now
        failures.withLock { table in
            // Bounded: a flood of addresses must not grow memory without end.
            if table.count > 50_000 {
                table = table.filter { $0.value.contains { now - $0 < window } }
            }
            for key in ["client:" + client] + (user.map { ["user:" + $0] } ?? []) {
                var list = table[key, default: []].filter { now - $0 < window }
                list.append(now)
                if list.count > limit { list.removeFirst(list.count - limit) }
                table[key] = list
            }
        }
    }

    /// A successful login clears the user's record (not the client's: one valid account must
    /// not reset the count for guesses at others).
    func recordSuccess(user: String) {
        failures.withLock { table in table["user:" + user] = nil }
    }
}
