import IMAP
import Logging

/// Pooled IMAP sessions, keyed by account, with a per-account and a global cap.
///
/// Requests that find every allowed session busy wait in arrival order until one is released or
/// their deadline passes (`PoolError.exhausted`). Idle sessions are logged out after
/// `idleTimeout`; `shutdown()` logs out everything.
public actor SessionPool<Connection: PooledConnection> {
    private struct Entry {
        let connection: Connection
        let account: AccountKey
        var busy: Bool
        var selection: FolderSelection?
        var idleSince: ContinuousClock.Instant
    }

    /// What a waiter is given: a session, or the right to open one.
    private enum Grant {
        case session(SessionLease<Connection>)
        case slot
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
    private let logger: Logger
    private let clock = ContinuousClock()
    private var entries: [Int: Entry] = [:]
    private var opening: [AccountKey: Int] = [:]
    private var openingTotal = 0
    private var waiters: [Waiter] = []
    private var nextID = 0
    private var isShutDown = false
    private var reaper: Task<Void, Never>?

    public init(configuration: PoolConfiguration, logger: Logger) {
        self.configuration = configuration
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
        if fresh {
            if reserveFreshSlot(for: account) { return try await openReserved(account, open: open) }
            switch try await wait(account, folder: folder, access: access, fresh: true) {
            case .session(let lease): return lease
            case .slot: return try await openReserved(account, open: open)
            }
        }
        if folder != nil {
            if let lease = takeIdle(account, folder: folder, access: access, matchingOnly: true) { return lease }
            if reserveSlot(for: account, evicting: false) { return try await openReserved(account, open: open) }
        }
        if let lease = takeIdle(account, folder: folder, access: access) { return lease }
        if reserveSlot(for: account) { return try await openReserved(account, open: open) }
        switch try await wait(account, folder: folder, access: access) {
        case .session(let lease): return lease
        case .slot: return try await openReserved(account, open: open)
        }
    }

    /// Takes a healthy session back, remembering which folder it has selected.
    public func release(_ lease: SessionLease<Connection>, selection: FolderSelection?) {
        guard var entry = entries[lease.id] else { return }
        if isShutDown {
            entries[lease.id] = nil
            Task { await entry.connection.shutDown() }
            return
        }
        entry.busy = false
        entry.selection = selection
        entry.idleSince = clock.now
        entries[lease.id] = entry
        dispatchWaiters()
    }

    /// Drops a session that failed (BYE, socket error) or whose state is unknown.
    public func discard(_ lease: SessionLease<Connection>) {
        guard let entry = entries.removeValue(forKey: lease.id) else { return }
        logger.debug("IMAP session dropped", metadata: ["account": "\(entry.account)"])
        Task { await entry.connection.shutDown() }
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
            for entry in idle.values { group.addTask { await entry.connection.shutDown() } }
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

    /// Counts a session about to be opened against the caps; frees an idle session of another
    /// account when only the global cap is in the way and `evicting` allows it.
    private func reserveSlot(for account: AccountKey, evicting: Bool = true) -> Bool {
        let ofAccount = entries.values.filter { $0.account == account }.count + opening[account, default: 0]
        guard ofAccount < configuration.perAccount else { return false }
        if entries.count + openingTotal >= configuration.global {
            guard evicting else { return false }
            let idleOfOthers = entries.filter { !$0.value.busy && $0.value.account != account }
            guard let (victimID, victim) = idleOfOthers.min(by: { $0.value.idleSince < $1.value.idleSince }) else {
                return false
            }
            entries[victimID] = nil
            Task { await victim.connection.shutDown() }
        }
        opening[account, default: 0] += 1
        openingTotal += 1
        return true
    }

    /// A slot for a session that must be new: logs out the account's least recently used idle
    /// session when the account is at its cap.
    private func reserveFreshSlot(for account: AccountKey) -> Bool {
        if reserveSlot(for: account) { return true }
        let idle = entries.filter { $0.value.account == account && !$0.value.busy }
        guard let (id, oldest) = idle.min(by: { $0.value.idleSince < $1.value.idleSince }) else { return false }
        entries[id] = nil
        Task { await oldest.connection.shutDown() }
        return reserveSlot(for: account)
    }

    private func unreserve(_ account: AccountKey) {
        opening[account, default: 1] -= 1
        if opening[account] == 0 { opening[account] = nil }
        openingTotal -= 1
    }

    private func openReserved(_ account: AccountKey, open: @Sendable () async throws -> Connection) async throws -> SessionLease<Connection> {
        let connection: Connection
        do {
            connection = try await open()
        } catch {
            unreserve(account)
            dispatchWaiters()
            throw error
        }
        unreserve(account)
        if isShutDown {
            await connection.shutDown()
            throw PoolError.shuttingDown
        }
        nextID += 1
        entries[nextID] = Entry(connection: connection, account: account, busy: true, selection: nil, idleSince: clock.now)
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
                guard reserveFreshSlot(for: waiter.account) else {
                    index += 1
                    continue
                }
                grant = .slot
            } else if let lease = takeIdle(waiter.account, folder: waiter.folder, access: waiter.access) {
                grant = .session(lease)
            } else if reserveSlot(for: waiter.account) {
                grant = .slot
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
        for entry in expired.values { await entry.connection.shutDown() }
        dispatchWaiters()
    }
}
