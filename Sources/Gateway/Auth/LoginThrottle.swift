import Sockets

/// Slows down password guessing without letting anyone lock others out (issue 13).
///
/// Failures are counted per (client address, user) pair within `window`: guesses from one
/// address at one user slow down only that pair, so nobody elsewhere can lock a named user out,
/// and one account's failures do not touch another's. Past `limit` failures a login of that
/// pair waits a penalty first (`penalty`, doubling per further failure up to `maxDelay`) and is
/// then tried: a right password still gets through, only later, while guessing slows to a
/// crawl. Behind a reverse proxy the address is the one the trusted proxy reports
/// (`HTTPRequest.clientAddress`), so clients do not share one count.
///
/// Only where no user is named (API keys in account mode) is there a hard refusal, and it is
/// keyed by the client address alone: it can lock out no one but the guesser's own address.
final class LoginThrottle: Sendable {
    private let limit: Int
    private let window: Duration
    /// The first penalty once `limit` is reached; each further failure doubles it.
    private let baseDelay: Duration
    private let maxDelay: Duration
    private let clock = ContinuousClock()
    private let failures = Protected<[String: [ContinuousClock.Instant]]>([:])
    /// Bounds the table: a flood of addresses must not grow memory without end.
    private static let maxKeys = 50_000

    init(limit: Int, window: Duration, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(15)) {
        self.limit = max(1, limit)
        self.window = window
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    private static func key(client: String, user: String?) -> String {
        // The NUL cannot occur in an address, so no user name can forge another pair's key.
        guard let user else { return "client\u{0}" + client }
        return "pair\u{0}" + client + "\u{0}" + user
    }

    /// A hard refusal (429 with this Retry-After) or nil. Only API-key guessing (no `user`) is
    /// ever refused, per client address; logins that name a user are delayed instead (`penalty`).
    func retryAfter(client: String, user: String?) -> Duration? {
        guard user == nil else { return nil }
        let now = clock.now
        let recent = recentFailures(Self.key(client: client, user: nil), now: now)
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return window - (now - oldest)
    }

    /// How long a login of `user` from `client` waits before it is tried; zero under the limit.
    func penalty(client: String, user: String) -> Duration {
        let count = recentFailures(Self.key(client: client, user: user), now: clock.now).count
        guard count >= limit else { return .zero }
        let doublings = min(count - limit, 16)
        return min(baseDelay * (1 << doublings), maxDelay)
    }

    /// Waits out the penalty of `user` from `client` (see `penalty`). Cancellation ends the wait early.
    func waitPenalty(client: String, user: String) async {
        let delay = penalty(client: client, user: user)
        guard delay > .zero else { return }
        try? await Task.sleep(for: delay)
    }

    /// Counts one failed login (or, without `user`, one wrong API key) of `client`.
    func recordFailure(client: String, user: String?) {
        let now = clock.now
        let key = Self.key(client: client, user: user)
        failures.withLock { table in
            if table.count > Self.maxKeys {
                table = table.filter { $0.value.contains { now - $0 < window } }
            }
            var list = table[key, default: []].filter { now - $0 < window }
            list.append(now)
            // Enough to reach `maxDelay`; older entries change nothing.
            if list.count > limit + 17 { list.removeFirst(list.count - limit - 17) }
            table[key] = list
        }
    }

    /// A successful login clears its own pair only: it proves nothing about guesses from other
    /// addresses or at other users.
    func recordSuccess(client: String, user: String) {
        failures.withLock { table in table[Self.key(client: client, user: user)] = nil }
    }

    private func recentFailures(_ key: String, now: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        failures.withLock { table in
            let recent = (table[key] ?? []).filter { now - $0 < window }
            table[key] = recent.isEmpty ? nil : recent
            return recent
        }
    }
}
