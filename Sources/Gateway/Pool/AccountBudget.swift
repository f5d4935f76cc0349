import Sockets

/// What an IMAP connection held for an account is for.
public enum ConnectionPurpose: String, Sendable, Hashable, CaseIterable {
    /// A pooled session serving requests.
    case pool
    /// A `GET /folders/{folder}/events` stream's own session, in IDLE.
    case events
    /// A folder mirror's watcher session, in IDLE.
    case watcher
}

/// The account's connections are all in use and none came free in time: answered 503 with
/// `Retry-After` (never 502: nothing is wrong with the server, the gateway holds back).
public struct ConnectionBudgetExhausted: Error, Sendable, CustomStringConvertible {
    /// The account's connections at most.
    public let limit: Int
    /// What held them when the request gave up, by purpose (no user name: this may reach logs and metrics).
    public let holders: [ConnectionPurpose: Int]
    /// What the slot was wanted for.
    public let purpose: ConnectionPurpose
    /// When a retry has a chance.
    public let retryAfter: Duration

    public var description: String {
        let held = ConnectionPurpose.allCases.compactMap { purpose in
            holders[purpose].map { "\($0) for \(purpose.rawValue)" }
        }.joined(separator: ", ")
        return "This account's \(limit) IMAP connection(s) are all in use (\(held.isEmpty ? "being released" : held)); retry shortly."
    }
}

/// One budget of IMAP connections per account, shared by everything that holds a connection
/// for it: pooled sessions, event streams and mirror watchers together. Providers count every
/// connection of a mailbox against one limit (Gmail 15, Exchange Online 20, Dovecot 10 per user
/// and address by default), and the user's own mail apps need some of it: separate caps per
/// kind of holder could add up beyond it, one budget cannot.
///
/// A holder takes a `ConnectionSlot` before it connects and releases it after its LOGOUT.
/// `tryAcquire` never waits (the pool, which queues its own requests); `acquire` waits up to a
/// deadline and first asks the pool to give up an idle session of the account (`onReclaim`),
/// since an idle pooled session is the one connection that can go at once.
///
/// Accounts are told apart by user name, case-insensitively (`Alice@x` and `alice@x` are one
/// mailbox at every big provider; merging two real accounts would only make the cap stricter).
public final class AccountBudget: Sendable {
    /// Connections per account at most.
    public let perAccount: Int
    /// The `Retry-After` of a `ConnectionBudgetExhausted`.
    public let retryAfter: Duration

    fileprivate struct Waiter {
        let id: Int
        let purpose: ConnectionPurpose
        let continuation: CheckedContinuation<ConnectionSlot, any Error>
        let deadline: Task<Void, Never>
    }

    fileprivate struct State {
        /// Slots held, by account and purpose.
        var held: [String: [ConnectionPurpose: Int]] = [:]
        /// Slots held in all, by purpose (metrics: no user names).
        var totals: [ConnectionPurpose: Int] = [:]
        /// `acquire` callers waiting, by account, in arrival order.
        var waiters: [String: [Waiter]] = [:]
        var nextID = 0
        /// Slots refused (`ConnectionBudgetExhausted`), for metrics.
        var refusals = 0
        var freedHandlers: [@Sendable (String) -> Void] = []
        var reclaimHandlers: [@Sendable (String) -> Void] = []
    }

    private let state = Protected(State())

    /// - Parameters:
    ///   - perAccount: connections per account at most (at least 1).
    ///   - retryAfter: what a request refused for lack of a connection is told to wait.
    public init(perAccount: Int, retryAfter: Duration = .seconds(5)) {
        self.perAccount = max(1, perAccount)
        self.retryAfter = retryAfter
    }

    /// A slot for `user` now, or nil when the account's connections are all held.
    public func tryAcquire(_ user: String, for purpose: ConnectionPurpose) -> ConnectionSlot? {
        let account = Self.account(user)
        let granted = state.withLock { state in
            guard state.count(account) < perAccount,
                  state.waiters[account, default: []].isEmpty else { return false }
            state.take(account, purpose)
            return true
        }
        return granted ? ConnectionSlot(budget: self, account: account, purpose: purpose) : nil
    }

    /// A slot for `user`, waiting up to `timeout` for one to come free. An idle pooled session
    /// of the account is asked to log out for it. Throws `ConnectionBudgetExhausted` at the
    /// deadline, `CancellationError` when the caller's task is cancelled.
    public func acquire(_ user: String, for purpose: ConnectionPurpose, waitingUpTo timeout: Duration) async throws -> ConnectionSlot {
        if let slot = tryAcquire(user, for: purpose) { return slot }
        let account = Self.account(user)
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ConnectionSlot, any Error>) in
                let deadline = Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled, let self else { return }
                    self.expire(id, account: account, error: self.exhausted(account, purpose: purpose))
                }
                // A slot may have come free since `tryAcquire`: take it rather than wait for the next.
                let reclaim: [@Sendable (String) -> Void]? = state.withLock { state in
                    if state.count(account) < perAccount, state.waiters[account, default: []].isEmpty {
                        state.take(account, purpose)
                        return nil
                    }
                    state.waiters[account, default: []].append(Waiter(id: id, purpose: purpose, continuation: continuation, deadline: deadline))
                    return state.reclaimHandlers
                }
                guard let reclaim else {
                    deadline.cancel()
                    continuation.resume(returning: ConnectionSlot(budget: self, account: account, purpose: purpose))
                    return
                }
                for handler in reclaim { handler(account) }
                if Task.isCancelled { expire(id, account: account, error: CancellationError()) }
            }
        } onCancel: {
            self.expire(id, account: account, error: CancellationError())
        }
    }

    /// Connections held now, by purpose, over all accounts (for metrics).
    public var inUse: [ConnectionPurpose: Int] { state.withLock { $0.totals } }

    /// Requests for a slot refused so far (metrics).
    public var refusals: Int { state.withLock { $0.refusals } }

    /// Connections held now for `user`, by purpose.
    public func inUse(by user: String) -> [ConnectionPurpose: Int] {
        state.withLock { $0.held[Self.account(user)] ?? [:] }
    }

    /// Runs `handler` with the account whenever a slot comes free that no `acquire` took: the
    /// pool serves its own waiters then.
    func onSlotFreed(_ handler: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.freedHandlers.append(handler) }
    }

    /// Runs `handler` with the account when an `acquire` has to wait: the pool logs out one
    /// idle session of it, if it has one, and releases that slot.
    func onReclaim(_ handler: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.reclaimHandlers.append(handler) }
    }

    /// The error for a slot of `account` not found, with what holds the account's connections.
    func exhausted(_ user: String, purpose: ConnectionPurpose) -> ConnectionBudgetExhausted {
        let holders = state.withLock { state in
            state.refusals += 1
            return (state.held[Self.account(user)] ?? [:]).filter { $0.value > 0 }
        }
        return ConnectionBudgetExhausted(limit: perAccount, holders: holders, purpose: purpose, retryAfter: retryAfter)
    }

    /// How accounts are told apart.
    static func account(_ user: String) -> String { user.lowercased() }

    // MARK: - Slots coming back

    /// A slot of `account` comes back: the first waiter takes it over, else it is free.
    fileprivate func release(_ account: String, purpose: ConnectionPurpose) {
        enum Next { case handOver(Waiter), freed([@Sendable (String) -> Void]) }
        let next: Next = state.withLock { state in
            state.give(account, purpose)
            if var queue = state.waiters[account], !queue.isEmpty {
                let waiter = queue.removeFirst()
                state.waiters[account] = queue.isEmpty ? nil : queue
                state.take(account, waiter.purpose)
                return .handOver(waiter)
            }
            return .freed(state.freedHandlers)
        }
        switch next {
        case .handOver(let waiter):
            waiter.deadline.cancel()
            waiter.continuation.resume(returning: ConnectionSlot(budget: self, account: account, purpose: waiter.purpose))
        case .freed(let handlers):
            for handler in handlers { handler(account) }
        }
    }

    private func expire(_ id: Int, account: String, error: any Error) {
        let waiter: Waiter? = state.withLock { state in
            guard var queue = state.waiters[account], let index = queue.firstIndex(where: { $0.id == id }) else { return nil }
            let waiter = queue.remove(at: index)
            state.waiters[account] = queue.isEmpty ? nil : queue
            return waiter
        }
        guard let waiter else { return }
        waiter.deadline.cancel()
        waiter.continuation.resume(throwing: error)
    }
}

extension AccountBudget.State {
    fileprivate func count(_ account: String) -> Int {
        held[account, default: [:]].values.reduce(0, +)
    }

    fileprivate mutating func take(_ account: String, _ purpose: ConnectionPurpose) {
        held[account, default: [:]][purpose, default: 0] += 1
        totals[purpose, default: 0] += 1
    }

    fileprivate mutating func give(_ account: String, _ purpose: ConnectionPurpose) {
        let left = held[account, default: [:]][purpose, default: 1] - 1
        held[account, default: [:]][purpose] = left > 0 ? left : nil
        if held[account]?.isEmpty == true { held[account] = nil }
        totals[purpose, default: 1] -= 1
    }
}

/// The right to hold one IMAP connection for an account. Release it once the connection is
/// closed (after LOGOUT); a slot dropped unreleased is released by `deinit`, so a holder that
/// fails on some path can never leak the account's budget.
public final class ConnectionSlot: Sendable {
    private let budget: AccountBudget
    private let account: String
    /// What the connection is for.
    public let purpose: ConnectionPurpose
    private let released = Protected(false)

    fileprivate init(budget: AccountBudget, account: String, purpose: ConnectionPurpose) {
        self.budget = budget
        self.account = account
        self.purpose = purpose
    }

    /// Gives the slot back; later calls do nothing.
    public func release() {
        let first = released.withLock { released in
            defer { released = true }
            return !released
        }
        if first { budget.release(account, purpose: purpose) }
    }

    deinit { release() }
}
