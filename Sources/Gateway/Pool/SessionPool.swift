import IMAP
import Logging

/// Pooled IMAP sessions, keyed by account, with a per-account and a global cap.
///
/// Every session also holds a slot of the account's `AccountBudget`, shared with event streams
/// and mirror watchers: when those hold the rest of it, a request with no session of its
/// account to wait for gets `ConnectionBudgetExhausted` at once (503), and the pool logs out
/// an idle session when another holder waits for a slot (`AccountBudget.onReclaim`).
///
/// Requests that find every allowed session busy wait in arrival order until one is released or
/// their deadline passes (`PoolError.exhausted`). Idle sessions are logged out after
/// `idleTimeout`; `shutdown()` logs out everything.
public actor SessionPool<Connection: PooledConnection> {
    private struct Entry {
        let connection: Connection
        let account: AccountKey
        /// The session's place in the account's connection budget, released after its LOGOUT.
        let slot: ConnectionSlot
        var busy: Bool
        var selection: FolderSelection?
        var idleSince: ContinuousClock.Instant
    }

    /// What a waiter is given: a session, or the right to open one.
    private enum Grant {
        case session(SessionLease<Connection>)
        case slot(ConnectionSlot)
    }

    private struct Waiter {
        let id: Int
        let account: AccountKey
        let folder: MailboxName?
        let access: SessionAccess
        /// Only the right to open a session serves this waiter (`acquire(fresh: true)`).
        let fresh: Bool
        let continuation: CheckedContinuation<Grant, any Error>
        let deadline: Task<Void, Never>
    }

    public let configuration: PoolConfiguration
    /// The connections each account may hold, pool and other holders together.
    public let budget: AccountBudget
    private let logger: Logger
    private let clock = ContinuousClock()
    private var entries: [Int: Entry] = [:]
    private var opening: [AccountKey: Int] = [:]
    private var openingTotal = 0
    private var waiters: [Waiter] = []
    private var nextID = 0
    /// Busy sessions whose selection is void (the folder was created anew): returned without it.
    private var voidSelections: Set<Int> = []
    private var isShutDown = false
    private var reaper: Task<Void, Never>?
    private var joinedBudget = false
    /// The last `reserveSlot` failed for want of a budget slot, not for the pool's own caps.
    private var budgetRefused = false

    /// - Parameter budget: the accounts' connection budget, shared with the other holders of
    ///   connections; by default one of the pool's own, as large as its per-account cap.
    public init(configuration: PoolConfiguration, budget: AccountBudget? = nil, logger: Logger) {
        self.configuration = configuration
        self.budget = budget ?? AccountBudget(perAccount: configuration.perAccount)
        self.logger = logger
    }

    /// Lends a session of `account`, preferring one that already has `folder` selected in a
    /// way that serves `access`. Without one, a new session is opened while the caps leave room
    /// (no other account's session evicted for it); only at the cap does an idle session switch
    /// folders. Else it waits.
    ///
    /// Why open rather than switch: selecting a folder costs the server a fresh look at its
    /// index every time (EXAMINE alternating between a 20,000- and a 20-message folder took
    /// 12 ms each in Dovecot, a whole login 8 ms), and clients alternate between a few
    /// folders (inbox, sent, the one being read), so a session per folder pays for itself at
    /// the second request.
    ///
    /// `fresh` asks for a session opened for this request, never an idle one: an OAuth token
    /// not yet proven must log in itself before it may see sessions other tokens opened. At the
    /// per-account cap the account's least recently used idle session makes room, so a
    /// refreshed token replaces old sessions instead of adding to them.
    public func acquire(
        _ account: AccountKey, preferring folder: MailboxName?, access: SessionAccess, fresh: Bool = false,
        open: @Sendable () async throws -> Connection
    ) async throws -> SessionLease<Connection> {
        guard !isShutDown else { throw PoolError.shuttingDown }
        startReaperIfNeeded()
        joinBudgetIfNeeded()
        if fresh {
            if let slot = reserveFreshSlot(for: account) { return try await openReserved(account, slot: slot, open: open) }
            try refuseIfOnlyBudgetBlocks(account)
            switch try await wait(account, folder: folder, access: access, fresh: true) {
            case .session(let lease): return lease
            case .slot(let slot): return try await openReserved(account, slot: slot, open: open)
            }
        }
        if folder != nil {
            if let lease = takeIdle(account, folder: folder, access: access, matchingOnly: true) { return lease }
            if let slot = reserveSlot(for: account, evicting: false) { return try await openReserved(account, slot: slot, open: open) }
        }
        if let lease = takeIdle(account, folder: folder, access: access) { return lease }
        if let slot = reserveSlot(for: account) { return try await openReserved(account, slot: slot, open: open) }
        try refuseIfOnlyBudgetBlocks(account)
        switch try await wait(account, folder: folder, access: access) {
        case .session(let lease): return lease
        case .slot(let slot): return try await openReserved(account, slot: slot, open: open)
        }
    }

    /// Waiting only makes sense for a session of the account's own that a request will give
    /// back: when the budget is what refused and the pool holds none of the account's sessions,
    /// the connections belong to event streams or watchers, which keep them for hours.
    private func refuseIfOnlyBudgetBlocks(_ account: AccountKey) throws {
        guard budgetRefused else { return }
        let held = entries.values.contains { $0.account == account } || opening[account, default: 0] > 0
        if !held { throw budget.exhausted(account.user, purpose: .pool) }
    }

    /// Takes a healthy session back, remembering which folder it has selected.
    public func release(_ lease: SessionLease<Connection>, selection: FolderSelection?) {
        guard var entry = entries[lease.id] else { return }
        if isShutDown {
            entries[lease.id] = nil
            close(entry)
            return
        }
        entry.busy = false
        entry.selection = voidSelections.remove(lease.id) == nil ? selection : nil
        entry.idleSince = clock.now
        entries[lease.id] = entry
        dispatchWaiters()
    }

    /// Drops a session that failed (BYE, socket error) or whose state is unknown.
    public func discard(_ lease: SessionLease<Connection>) {
        voidSelections.remove(lease.id)
        guard let entry = entries.removeValue(forKey: lease.id) else { return }
        logger.debug("IMAP session dropped", metadata: ["account": "\(entry.account)"])
        close(entry)
        dispatchWaiters()
    }

    /// A session of `account` found `folder` with UIDVALIDITY `uidValidity`: every other session
    /// of the account that has it selected with another UIDVALIDITY has a deleted folder's view
    /// (another client deleted and created it anew). They SELECT it afresh at their next use
    /// instead of running a command on the old view first: Dovecot, asked to bring several such
    /// views up to date, marks the new folder's index corrupted and fails every SELECT of it
    /// for a while. Idle ones lose their selection now, busy ones when returned.
    public func noteSelected(_ folder: MailboxName, uidValidity: UInt32, account: AccountKey) {
        for (id, entry) in entries where entry.account == account {
            guard let selection = entry.selection, selection.folder.wireBytes == folder.wireBytes,
                  let known = selection.uidValidity, known != uidValidity else { continue }
            if entry.busy { voidSelections.insert(id) } else { entries[id]?.selection = nil }
        }
    }

    /// Logs out every idle session of `account`: after the server dropped one of them (BYE, a
    /// reset connection) the others, opened before, most likely share the failure (a restarted
    /// server), and a request handed one would fail again. Busy ones are dropped by their
    /// holders when they fail.
    public func discardIdle(of account: AccountKey) {
        let idle = entries.filter { $0.value.account == account && !$0.value.busy }
        guard !idle.isEmpty else { return }
        for id in idle.keys { entries[id] = nil }
        logger.debug("IMAP sessions dropped after a connection loss", metadata: ["account": "\(account)", "count": "\(idle.count)"])
        for entry in idle.values { Task { await entry.connection.shutDown() } }
        dispatchWaiters()
    }

    /// Open, busy and waiting counts, for metrics.
    public var counts: PoolCounts {
        PoolCounts(open: entries.count + openingTotal,
                   busy: entries.values.filter(\.busy).count + openingTotal,
                   waiting: waiters.count)
    }

    /// Fails every waiter, logs out every idle session now and every busy one when released.
    public func shutdown() async {
        isShutDown = true
        reaper?.cancel()
        reaper = nil
        let pending = waiters
        waiters.removeAll()
        for waiter in pending {
            waiter.deadline.cancel()
            waiter.continuation.resume(throwing: PoolError.shuttingDown)
        }
        let idle = entries.filter { !$0.value.busy }
        for id in idle.keys { entries[id] = nil }
        await withTaskGroup(of: Void.self) { group in
            for entry in idle.values {
                group.addTask {
                    await entry.connection.shutDown()
                    entry.slot.release()
                }
            }
        }
    }

    /// Logs out `entry`'s session, then gives its budget slot back.
    private func close(_ entry: Entry) {
        Task {
            await entry.connection.shutDown()
            entry.slot.release()
        }
    }

    // MARK: - Lending

    /// An idle session of `account`: one that serves `folder` if any, else (unless
    /// `matchingOnly`) the most recently used.
    private func takeIdle(_ account: AccountKey, folder: MailboxName?, access: SessionAccess,
                          matchingOnly: Bool = false) -> SessionLease<Connection>? {
        let candidates = entries.filter { $0.value.account == account && !$0.value.busy }
        guard !candidates.isEmpty else { return nil }
        let preferred = folder.flatMap { folder in
            candidates.first { $0.value.selection?.serves(folder, access: access) == true }
        }
        if matchingOnly && preferred == nil { return nil }
        // Otherwise the most recently used one: it is the least likely to have timed out.
        guard let (id, entry) = preferred ?? candidates.max(by: { $0.value.idleSince < $1.value.idleSince }) else {
            return nil
        }
        entries[id]?.busy = true
        return SessionLease(id: id, connection: entry.connection, account: account, selection: entry.selection,
                            idleTime: clock.now - entry.idleSince, isFresh: false)
    }

    /// Counts a session about to be opened against the caps and takes its budget slot; frees
    /// an idle session of another account when only the global cap is in the way and
    /// `evicting` allows it, and an idle session of the same user under another key (an old
    /// password, a password beside OAuth) when only the budget is.
    private func reserveSlot(for account: AccountKey, evicting: Bool = true) -> ConnectionSlot? {
        budgetRefused = false
        let ofAccount = entries.values.filter { $0.account == account }.count + opening[account, default: 0]
        guard ofAccount < configuration.perAccount else { return nil }
        let atGlobalCap = entries.count + openingTotal >= configuration.global
        let idleOfOthers = entries.filter { !$0.value.busy && $0.value.account != account }
        if atGlobalCap, !evicting || idleOfOthers.isEmpty { return nil }
        let slot: ConnectionSlot
        if let taken = budget.tryAcquire(account.user, for: .pool) {
            slot = taken
        } else {
            let user = AccountBudget.account(account.user)
            let sameUser = idleOfOthers.filter { AccountBudget.account($0.value.account.user) == user }
            guard evicting, let (id, victim) = sameUser.min(by: { $0.value.idleSince < $1.value.idleSince }) else {
                budgetRefused = true
                return nil
            }
            // The new session takes the old one's budget slot while that one says LOGOUT.
            entries[id] = nil
            Task { await victim.connection.shutDown() }
            slot = victim.slot
        }
        if entries.count + openingTotal >= configuration.global {
            guard let (victimID, victim) = idleOfOthers.filter({ entries[$0.key] != nil })
                .min(by: { $0.value.idleSince < $1.value.idleSince }) else {
                slot.release()
                return nil
            }
            entries[victimID] = nil
            close(victim)
        }
        opening[account, default: 0] += 1
        openingTotal += 1
        return slot
    }

    /// A slot for a session that must be new: logs out the account's least recently used idle
    /// session when the account is at its cap (the new session takes over its budget slot).
    private func reserveFreshSlot(for account: AccountKey) -> ConnectionSlot? {
        if let slot = reserveSlot(for: account) { return slot }
        let idle = entries.filter { $0.value.account == account && !$0.value.busy }
        guard let (id, oldest) = idle.min(by: { $0.value.idleSince < $1.value.idleSince }) else { return nil }
        entries[id] = nil
        budgetRefused = false
        Task { await oldest.connection.shutDown() }
        opening[account, default: 0] += 1
        openingTotal += 1
        return oldest.slot
    }

    private func unreserve(_ account: AccountKey) {
        opening[account, default: 1] -= 1
        if opening[account] == 0 { opening[account] = nil }
        openingTotal -= 1
    }

    private func openReserved(_ account: AccountKey, slot: ConnectionSlot,
                              open: @Sendable () async throws -> Connection) async throws -> SessionLease<Connection> {
        let connection: Connection
        do {
            connection = try await open()
        } catch {
            unreserve(account)
            slot.release()
            dispatchWaiters()
            throw error
        }
        unreserve(account)
        if isShutDown {
            await connection.shutDown()
            slot.release()
            throw PoolError.shuttingDown
        }
        nextID += 1
        entries[nextID] = Entry(connection: connection, account: account, slot: slot, busy: true, selection: nil, idleSince: clock.now)
        logger.debug("IMAP session opened", metadata: ["account": "\(account)", "open": "\(entries.count)"])
        return SessionLease(id: nextID, connection: connection, account: account, selection: nil,
                            idleTime: .zero, isFresh: true)
    }

    // MARK: - Waiting

    private func wait(_ account: AccountKey, folder: MailboxName?, access: SessionAccess, fresh: Bool = false) async throws -> Grant {
        nextID += 1
        let id = nextID
        let timeout = configuration.acquireTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let deadline = Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled else { return }
                    await self?.expire(id, error: PoolError.exhausted(account: account.user, waited: timeout))
                }
                waiters.append(Waiter(id: id, account: account, folder: folder, access: access, fresh: fresh,
                                      continuation: continuation, deadline: deadline))
            }
        } onCancel: {
            Task { await self.expire(id, error: CancellationError()) }
        }
    }

    private func expire(_ id: Int, error: any Error) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.deadline.cancel()
        waiter.continuation.resume(throwing: error)
    }

    /// Serves waiters in arrival order; one that cannot be served yet keeps its place.
    private func dispatchWaiters() {
        var index = 0
        while index < waiters.count {
            let waiter = waiters[index]
            let grant: Grant
            if waiter.fresh {
                guard let slot = reserveFreshSlot(for: waiter.account) else {
                    index += 1
                    continue
                }
                grant = .slot(slot)
            } else if let lease = takeIdle(waiter.account, folder: waiter.folder, access: waiter.access) {
                grant = .session(lease)
            } else if let slot = reserveSlot(for: waiter.account) {
                grant = .slot(slot)
            } else {
                index += 1
                continue
            }
            waiters.remove(at: index)
            waiter.deadline.cancel()
            waiter.continuation.resume(returning: grant)
        }
    }

    // MARK: - Idle timeout

    private func startReaperIfNeeded() {
        guard reaper == nil else { return }
        let interval = max(.milliseconds(100), min(configuration.idleTimeout / 4, .seconds(15)))
        reaper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                await self.logOutIdleSessions()
            }
        }
    }

    private func logOutIdleSessions() async {
        let now = clock.now
        let expired = entries.filter { !$0.value.busy && now - $0.value.idleSince >= configuration.idleTimeout }
        guard !expired.isEmpty else { return }
        for id in expired.keys { entries[id] = nil }
        logger.debug("Logging out idle IMAP sessions", metadata: ["count": "\(expired.count)"])
        for entry in expired.values {
            await entry.connection.shutDown()
            entry.slot.release()
        }
        dispatchWaiters()
    }

    // MARK: - The shared budget

    /// Hears from the budget: a slot freed elsewhere may serve a waiter; another holder waiting
    /// for a slot gets one of this account's idle sessions logged out.
    private func joinBudgetIfNeeded() {
        guard !joinedBudget else { return }
        joinedBudget = true
        budget.onSlotFreed { [weak self] _ in
            Task { await self?.dispatchWaiters() }
        }
        budget.onReclaim { [weak self] user in
            Task { await self?.reclaimIdle(of: user) }
        }
    }

    /// Logs out the least recently used idle session of `user` (any key), releasing its slot.
    private func reclaimIdle(of user: String) {
        let idle = entries.filter { !$0.value.busy && AccountBudget.account($0.value.account.user) == user }
        guard let (id, oldest) = idle.min(by: { $0.value.idleSince < $1.value.idleSince }) else { return }
        entries[id] = nil
        logger.debug("IMAP session logged out for another holder of the account's connections")
        close(oldest)
    }
}
