import Sockets

/// Why the gateway holds back new IMAP connections for a while.
public enum BackoffReason: String, Sendable, Hashable, CaseIterable {
    /// The server throttled the account (Gmail's `[THROTTLED]`, Office 365's "Suggested Backoff
    /// Time" or "User is authenticated but not connected"): per account.
    case throttled
    /// The server refused or reset connections: for every account, since the server itself is
    /// unwell or overloaded.
    case refused
}

/// A new connection was not even tried: the gateway is backing off. Answered 503 with
/// `Retry-After` set to what is left of the backoff.
public struct ConnectionBackoffActive: Error, Sendable, CustomStringConvertible {
    public let reason: BackoffReason
    /// What is left of the backoff.
    public let remaining: Duration

    public var description: String {
        let seconds = Int((remaining.seconds).rounded(.up))
        return switch reason {
        case .throttled:
            "The IMAP server throttled this account; the gateway opens no new connection for it for \(seconds) s."
        case .refused:
            "The IMAP server refused or dropped connections; the gateway opens no new connection for \(seconds) s."
        }
    }
}

/// Backoff after throttling answers and refused connections, so that a throttled account or an
/// overloaded server sees no reconnect storm: while a backoff runs, `check` refuses every new
/// connection without trying it (N requests cause 0 attempts); sessions already open keep serving.
///
/// The wait after the n-th failure in a row is "full jitter" (a uniformly random point below an
/// exponential ceiling `base·2^(n-1)`), but at least `base` and at least what the server
/// advised, and at most `cap`. A successful login ends the account's and the server's backoff
/// and resets their counts. The gateway talks to one IMAP server, so "the server" is one entry.
///
/// A server backoff is half open: while it runs, one probe connection may go out each `base`
/// (and only one at a time), so a server that comes back is in use again within about `base`
/// instead of after the whole exponential wait, which after a minute-long outage could reach
/// the cap; everyone else is still held back, so no storm follows. Throttling is not probed:
/// the provider asked for the wait.
public final class ConnectionBackoff: Sendable {
    public let base: Duration
    public let cap: Duration

    private struct Entry {
        var failures = 0
        var until: ContinuousClock.Instant
        /// When a connection was last tried (the failure, or a probe going out).
        var lastAttempt: ContinuousClock.Instant
        /// A probe connection is out; no other may go until it ends.
        var probing = false
    }

    private struct State {
        var accounts: [String: Entry] = [:]
        var server: Entry?
        /// New connections not tried because of a backoff, by reason.
        var heldBack: [BackoffReason: Int] = [:]
        /// Failures that started or extended a backoff, by reason.
        var failures: [BackoffReason: Int] = [:]
    }

    private let state = Protected(State())
    private let clock = ContinuousClock()
    private let random: @Sendable (ClosedRange<Double>) -> Double

    /// - Parameter random: a uniform draw from the range (tests pass a fixed one).
    public init(base: Duration = .seconds(1), cap: Duration = .seconds(300),
                random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) {
        self.base = base
        self.cap = max(base, cap)
        self.random = random
    }

    /// Throws when a new connection for `user` must not be tried now.
    public func check(_ user: String) throws(ConnectionBackoffActive) {
        let now = clock.now
        let account = AccountBudget.account(user)
        let refusal: ConnectionBackoffActive? = state.withLock { state in
            var found: ConnectionBackoffActive?
            if var server = state.server, server.until > now {
                if !server.probing, now - server.lastAttempt >= base {
                    server.probing = true
                    server.lastAttempt = now
                    state.server = server
                } else {
                    // Retry-After: when the next probe may go (a base interval while one is out),
                    // not the whole backoff.
                    let nextProbe = server.probing ? base : server.lastAttempt + base - now
                    found = ConnectionBackoffActive(reason: .refused, remaining: min(server.until - now, nextProbe))
                }
            }
            if let entry = state.accounts[account], entry.until > now, entry.until - now > found?.remaining ?? .zero {
                found = ConnectionBackoffActive(reason: .throttled, remaining: entry.until - now)
            }
            if let found { state.heldBack[found.reason, default: 0] += 1 }
            return found
        }
        if let refusal { throw refusal }
    }

    /// The server throttled `user`, advising `advised` (nil: no figure given). Returns the wait.
    @discardableResult
    public func throttled(_ user: String, advised: Duration?) -> Duration {
        let now = clock.now
        let account = AccountBudget.account(user)
        return state.withLock { state in
            var entry = state.accounts[account] ?? Entry(until: now, lastAttempt: now)
            entry.failures += 1
            let wait = delay(after: entry.failures, advised: advised)
            entry.until = max(entry.until, now + wait)
            state.accounts[account] = entry
            state.failures[.throttled, default: 0] += 1
            return wait
        }
    }

    /// A connection to the server was refused or reset before the login finished. Returns the wait.
    @discardableResult
    public func refused() -> Duration {
        let now = clock.now
        return state.withLock { state in
            var entry = state.server ?? Entry(until: now, lastAttempt: now)
            entry.failures += 1
            entry.lastAttempt = now
            entry.probing = false
            let wait = delay(after: entry.failures, advised: nil)
            entry.until = max(entry.until, now + wait)
            state.server = entry
            state.failures[.refused, default: 0] += 1
            return wait
        }
    }

    /// A login for `user` succeeded: the account and the server are well again.
    public func succeeded(_ user: String) {
        let account = AccountBudget.account(user)
        state.withLock { state in
            state.accounts[account] = nil
            state.server = nil
        }
    }

    /// A login ended neither in success nor in a refused connection (wrong password, timeout):
    /// a probe that was out no longer blocks the next one.
    public func attemptEnded() {
        state.withLock { state in state.server?.probing = false }
    }

    /// For metrics: failures that started a backoff and connections held back, by reason.
    public var counts: (failures: [BackoffReason: Int], heldBack: [BackoffReason: Int]) {
        state.withLock { ($0.failures, $0.heldBack) }
    }

    /// The wait after the `failures`-th failure in a row.
    func delay(after failures: Int, advised: Duration?) -> Duration {
        let ceiling = min(cap.seconds, base.seconds * Double(1 << min(max(failures - 1, 0), 30)))
        let jittered = random(0...ceiling)
        let seconds = min(cap.seconds, max(base.seconds, advised?.seconds ?? 0, jittered))
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
