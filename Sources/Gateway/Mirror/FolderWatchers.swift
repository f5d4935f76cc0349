import IMAP
import IMAPClient
import Sockets

/// What a folder's watcher tells its subscribers (event streams).
enum WatcherNotice: Sendable {
    /// The mirror was brought up to date after the server reported a change (or at the
    /// watcher's first sync, or after a reconnection); nil when the folder has no complete mirror.
    case synced(MirrorState?)
    /// The watcher lost its session; it reconnects with backoff and resyncs.
    case lost(any Error)
    /// The watcher stopped for good (login refused, no IDLE, gateway shutting down).
    case stopped(any Error)
}

/// The folder watchers of the gateway: per (account, folder) at most one `FolderWatcher`, an
/// IMAP session of its own in IDLE on the folder that keeps the folder's mirror current.
///
/// A watcher starts with the first mirrored read or event stream of a folder, within
/// `perAccount` watchers per account and a free slot of the account's connection budget
/// (`AccountBudget`, shared with pooled sessions and event streams; beyond either, reads
/// revalidate as without a watcher), and
/// stops once no event stream subscribes and no read touched it for `quietPeriod`.
///
/// The registry also remembers which password credentials lately proved themselves on a pooled
/// session (`recordProof`), so that a read answered without IMAP is only ever answered to a
/// caller whose credentials the IMAP server accepted (see `GatewayContext.watchedMirror`).
public final class FolderWatchers: Sendable {
    /// Watchers per account at most (each one IMAP connection).
    public let perAccount: Int
    /// How long a watcher stays without readers or subscribers.
    public let quietPeriod: Duration

    enum Phase: Sendable, Equatable {
        /// Logging in, selecting, first sync.
        case connecting
        /// In IDLE with the mirror current up to the server's notification delay.
        case watching
        /// A change was reported; the mirror is being brought up to date.
        case syncing
        /// The session was lost; waiting to reconnect.
        case lost
    }

    struct Entry {
        let watcher: FolderWatcher
        var phase: Phase = .connecting
        /// The latest caller that used the folder: a reconnection logs in with its credentials.
        var caller: Caller
        var lastUse: ContinuousClock.Instant
        var subscribers: [Int: @Sendable (WatcherNotice) -> Void] = [:]
        /// The folder as the last SELECT of `GET /folders/{folder}` saw it (flags, PERMANENTFLAGS,
        /// read-only): what a watched `GET /folders/{folder}` answers beside the mirror's figures.
        var folderStatus: SelectedMailbox?
        /// Bumped by every write through the gateway to the account: the watcher is `watching`
        /// again only after a sync that began after the latest write (`beginSync`/`endSync`).
        var writes: UInt64 = 0
        /// Ends the watcher's IDLE round so it syncs now (set while it is in IDLE).
        var wake: (@Sendable () -> Void)?
    }

    private struct State {
        var entries: [MirrorKey: Entry] = [:]
        var perAccount: [String: Int] = [:]
        var nextSubscriber = 0
        /// Password account keys by the time a pooled session last served them.
        var proofs: [AccountKey: ContinuousClock.Instant] = [:]
        var isShutDown = false
        /// Whether the IMAP server offers X-GM-EXT-1 (as the watchers' sessions found), nil
        /// before any watcher logged in.
        var gmail: Bool?
        var qresync: Bool?
    }

    private let state = Protected(State())

    public init(perAccount: Int, quietPeriod: Duration) {
        self.perAccount = perAccount
        self.quietPeriod = quietPeriod
    }

    /// Whether the server offers Gmail's extensions, whose list rows a mirror cannot serve;
    /// nil before any watcher logged in.
    var serverOffersGmail: Bool? {
        get { state.withLock { $0.gmail } }
        set { state.withLock { $0.gmail = newValue } }
    }

    /// Whether watchers run with QRESYNC enabled; nil before any watcher logged in. Without it
    /// Dovecot announces no new HIGHESTMODSEQ after an expunge or an append, so a mirror's
    /// HIGHESTMODSEQ lags the server's and `GET /folders/{f}` is not answered from it.
    var serverSyncsByQResync: Bool? {
        get { state.withLock { $0.qresync } }
        set { state.withLock { $0.qresync = newValue } }
    }

    /// Watchers running now.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Watchers holding an IMAP session now (in IDLE or syncing).
    public var sessionCount: Int {
        state.withLock { $0.entries.values.count { $0.phase == .watching || $0.phase == .syncing } }
    }

    /// Watchers in IDLE with their folder current now.
    public var watchingCount: Int { state.withLock { $0.entries.values.count { $0.phase == .watching } } }

    // MARK: Starting and using

    /// Marks `key` as used by `caller` and starts its watcher when there is none and the
    /// account's budget allows; `make` builds the watcher (its loop is started here). Returns
    /// whether the folder is watched (in any phase).
    @discardableResult
    func touch(_ key: MirrorKey, caller: Caller, make: () -> FolderWatcher?) -> Bool {
        let now = ContinuousClock.now
        let started: FolderWatcher? = state.withLock { state in
            if state.entries[key] != nil {
                state.entries[key]!.lastUse = now
                state.entries[key]!.caller = caller
                return nil
            }
            guard !state.isShutDown, state.perAccount[key.account, default: 0] < perAccount else { return nil }
            // nil: the account's connection budget has no slot free (reads revalidate instead).
            guard let watcher = make() else { return nil }
            state.entries[key] = Entry(watcher: watcher, caller: caller, lastUse: now)
            state.perAccount[key.account, default: 0] += 1
            return watcher
        }
        started?.start()
        return state.withLock { $0.entries[key] != nil }
    }

    /// Whether `key`'s watcher is in IDLE with the mirror current (marking the folder used).
    func isWatching(_ key: MirrorKey) -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard state.entries[key]?.phase == .watching else { return false }
            state.entries[key]!.lastUse = now
            return true
        }
    }

    /// The phase of `key`'s watcher; nil when there is none.
    func phase(_ key: MirrorKey) -> Phase? { state.withLock { $0.entries[key]?.phase } }

    /// Subscribes to `key`'s watcher; nil when the folder has none. The subscription keeps the
    /// watcher from stopping for quiet until `unsubscribe`.
    func subscribe(_ key: MirrorKey, _ notify: @escaping @Sendable (WatcherNotice) -> Void) -> Int? {
        state.withLock { state in
            guard state.entries[key] != nil else { return nil }
            state.nextSubscriber += 1
            state.entries[key]!.subscribers[state.nextSubscriber] = notify
            return state.nextSubscriber
        }
    }

    func unsubscribe(_ key: MirrorKey, _ id: Int) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard state.entries[key]?.subscribers.removeValue(forKey: id) != nil else { return }
            // The quiet period starts when the last subscriber leaves.
            state.entries[key]!.lastUse = now
        }
    }

    /// The folder status a watched `GET /folders/{folder}` answers with beside the mirror's figures.
    func folderStatus(_ key: MirrorKey) -> SelectedMailbox? { state.withLock { $0.entries[key]?.folderStatus } }

    func recordFolderStatus(_ key: MirrorKey, _ status: SelectedMailbox) {
        state.withLock { state in
            if state.entries[key] != nil { state.entries[key]!.folderStatus = status }
        }
    }

    /// A write through the gateway to `account` ended (successfully or not): the account's
    /// watched folders revalidate on reads until their watcher has synced after it, and each
    /// watcher in IDLE is woken to sync now. So a client reads its own writes even before the
    /// server's IDLE notification of them arrives, and even when the write changed nothing (no
    /// notification comes then).
    ///
    /// Except a flag change the folder mirror already holds with the MODSEQ the server gave it
    /// (`receipt`), when watchers sync by QRESYNC: the write's own reads are answered from the
    /// mirror, and the watcher hears the same change in IDLE, applied there without a command
    /// (`FolderMirrors.applyIdleFlags`; a no-op, its MODSEQ not being newer). Waking it would
    /// cost a sync command per write, and on Dovecot the write's STORE waits on that sync's lock.
    func writeEnded(account: String, receipt: WriteReceipt? = nil) {
        if receipt?.isMirroredWithModSeq == true, serverSyncsByQResync == true { return }
        let wakes = state.withLock { state -> [@Sendable () -> Void] in
            var wakes: [@Sendable () -> Void] = []
            for key in state.entries.keys where key.account == account {
                state.entries[key]!.writes &+= 1
                if state.entries[key]!.phase == .watching { state.entries[key]!.phase = .syncing }
                if let wake = state.entries[key]!.wake { wakes.append(wake) }
            }
            return wakes
        }
        for wake in wakes { wake() }
    }

    // MARK: Credentials

    /// A pooled session (or a watcher's login) just served `account`: its credentials are proven
    /// to the IMAP server now.
    func recordProof(_ account: Account) {
        guard account.tokenHash == nil else { return }
        let now = ContinuousClock.now
        state.withLock { state in
            if state.proofs.count >= 50_000 { state.proofs.removeAll() }
            state.proofs[account.key] = now
        }
    }

    /// Whether the password of `account` proved itself within `lifetime`.
    func isProven(_ account: Account, within lifetime: Duration) -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in state.proofs[account.key].map { now - $0 < lifetime } ?? false }
    }

    // MARK: The watcher's side

    func caller(_ key: MirrorKey) -> Caller? { state.withLock { $0.entries[key]?.caller } }

    /// A sync of `key` begins: the write count it covers.
    func beginSync(_ key: MirrorKey) -> UInt64 { state.withLock { $0.entries[key]?.writes ?? 0 } }

    /// The watcher is in IDLE again after a sync that began at `writes`: `watching` unless a
    /// write ended since (then false: sync again).
    func enterIdle(_ key: MirrorKey, syncedAt writes: UInt64, mirrored: Bool, wake: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            guard state.entries[key] != nil else { return true }
            state.entries[key]!.wake = wake
            guard state.entries[key]!.writes == writes else { return false }
            state.entries[key]!.phase = mirrored ? .watching : .syncing
            return true
        }
    }

    /// The watcher left IDLE (a report, a wake, the round's end).
    func leaveIdle(_ key: MirrorKey) {
        state.withLock { state in
            guard state.entries[key] != nil else { return }
            state.entries[key]!.wake = nil
            state.entries[key]!.phase = .syncing
        }
    }

    func setPhase(_ key: MirrorKey, _ phase: Phase) {
        state.withLock { state in
            if state.entries[key] != nil {
                state.entries[key]!.phase = phase
                if phase != .watching { state.entries[key]!.wake = nil }
            }
        }
    }

    /// Tells every subscriber of `key`.
    func notify(_ key: MirrorKey, _ notice: WatcherNotice) {
        let subscribers = state.withLock { Array(($0.entries[key]?.subscribers ?? [:]).values) }
        for subscriber in subscribers { subscriber(notice) }
    }

    /// When `key`'s watcher may stop for quiet: nil while subscribed (never for quiet).
    func quietDeadline(_ key: MirrorKey) -> ContinuousClock.Instant? {
        state.withLock { state in
            guard let entry = state.entries[key], entry.subscribers.isEmpty else { return nil }
            return entry.lastUse + quietPeriod
        }
    }

    /// Removes `key`'s watcher if it has been quiet for the quiet period (atomically with
    /// `touch`, so a read never finds a watcher that is going away); whether it was removed.
    func retireIfQuiet(_ key: MirrorKey) -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.entries[key], entry.subscribers.isEmpty, now - entry.lastUse >= quietPeriod else { return false }
            Self.remove(key, from: &state)
            return true
        }
    }

    /// Removes `key`'s watcher for good (it stopped); its subscribers are told.
    func retire(_ key: MirrorKey, because error: any Error) {
        let subscribers = state.withLock { state -> [@Sendable (WatcherNotice) -> Void] in
            let subscribers = Array((state.entries[key]?.subscribers ?? [:]).values)
            Self.remove(key, from: &state)
            return subscribers
        }
        for subscriber in subscribers { subscriber(.stopped(error)) }
    }

    private static func remove(_ key: MirrorKey, from state: inout State) {
        guard state.entries.removeValue(forKey: key) != nil else { return }
        let left = state.perAccount[key.account, default: 1] - 1
        state.perAccount[key.account] = left > 0 ? left : nil
    }

    /// Stops every watcher (each leaves IDLE and logs out) and starts no more.
    public func shutdown() async {
        let watchers = state.withLock { state in
            state.isShutDown = true
            return state.entries.values.map(\.watcher)
        }
        for watcher in watchers { await watcher.stop() }
    }
}

/// One write through the gateway, from its session lease to its end (`GatewayContext` binds it
/// as `current` while the write runs): `mirrorAfterWrite` notes in it that the folder mirror
/// holds everything the write did, with the MODSEQ the server reported for it, so that
/// `FolderWatchers.writeEnded` need not make the watchers sync.
final class WriteReceipt: Sendable {
    @TaskLocal static var current: WriteReceipt?

    private let mirrored = Protected(false)

    /// Every outcome of the write was a flag change now in a complete mirror with its MODSEQ.
    var isMirroredWithModSeq: Bool { mirrored.withLock { $0 } }

    func noteMirroredWithModSeq() { mirrored.withLock { $0 = true } }
}
