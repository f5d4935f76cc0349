import Sockets

/// Which mirror: one per account and folder.
public struct MirrorKey: Hashable, Sendable {
    /// The pool's account key (user and secret digest), never shown.
    public var account: String
    /// The folder's full name as the client names it.
    public var folder: String

    public init(account: String, folder: String) {
        self.account = account
        self.folder = folder
    }
}

/// How a mirror was brought up to date, the `kind` label of `mirror_syncs_total`.
public enum MirrorSyncKind: String, Sendable, CaseIterable {
    /// Filled from nothing (first use, after eviction or a UIDVALIDITY change), in chunks.
    case full
    /// SELECT/EXAMINE with QRESYNC or UID FETCH (CHANGEDSINCE m VANISHED).
    case qresync
    /// UID FETCH (CHANGEDSINCE m) and a UID list for expunges.
    case condstore
    /// Chunked UID FETCH (FLAGS) diff.
    case flags
    /// Changes the folder's watcher (IDLE) reported.
    case watcher
    /// Flag changes the folder's watcher heard in IDLE (QRESYNC) and applied without leaving
    /// IDLE: no IMAP command.
    case idle
    /// A background fill started: a folder too big to fill inline, filled in chunks on its
    /// watcher's session.
    case fill
}

/// Counters for `/metrics`.
public struct MirrorStatistics: Sendable, Hashable {
    public var bytes = 0
    public var folders = 0
    public var messages = 0
    /// Reads answered from a mirror.
    public var hits = 0
    /// Reads that could not use a mirror (none yet, incomplete, a field it lacks).
    public var misses = 0
    /// Reads that revalidated (one IMAP command) before answering.
    public var revalidations = 0
    /// Folders dropped to stay within the budget.
    public var evictions = 0
    public var syncs: [MirrorSyncKind: Int] = [:]
}

/// Every mirror of the gateway within one byte budget: the least recently used folders are
/// dropped whole when the total exceeds it (a dropped mirror's states become "cannot
/// calculate"; the next read fills it again).
public final class MirrorStore: Sendable {
    /// The budget in estimated bytes (`--mirror-max-bytes`).
    public let maxBytes: Int
    /// Change log entries kept per folder.
    public let logCapacity: Int

    private struct Entry {
        var mirror: FolderMirror
        var bytes: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [MirrorKey: Entry] = [:]
        var bytes = 0
        var tick: UInt64 = 0
        var statistics = MirrorStatistics()
    }

    private let state = Protected(State())

    public init(maxBytes: Int, logCapacity: Int = 10_000) {
        self.maxBytes = maxBytes
        self.logCapacity = logCapacity
    }

    /// Reads a mirror (marking it used); nil when there is none.
    public func read<Result>(_ key: MirrorKey, _ body: (FolderMirror) throws -> Result) rethrows -> Result? {
        try state.withLock { state in
            guard state.entries[key] != nil else { return nil }
            state.tick += 1
            state.entries[key]!.lastUse = state.tick
            return try body(state.entries[key]!.mirror)
        }
    }

    /// Changes, creates (set a nil mirror) or drops (set it to nil) a mirror, then evicts the least
    /// recently used others while the total exceeds the budget. A mirror bigger than the whole
    /// budget on its own is dropped too: it cannot be kept.
    @discardableResult
    public func update<Result>(_ key: MirrorKey, _ body: (inout FolderMirror?) -> Result) -> Result {
        state.withLock { state in
            // Take the entry out and let go of it before `body` runs, so the mirror is mutated in
            // place: while the old entry still held the same message array, the first change
            // copied all of it (every row's strings retained and released: milliseconds for a
            // folder of thousands, on every write and sync).
            var old = state.entries.removeValue(forKey: key)
            let oldBytes = old?.bytes ?? 0
            var mirror = old?.mirror
            old = nil
            let result = body(&mirror)
            state.bytes -= oldBytes
            if let mirror {
                state.tick += 1
                let bytes = mirror.estimatedBytes
                state.entries[key] = Entry(mirror: mirror, bytes: bytes, lastUse: state.tick)
                state.bytes += bytes
            }
            Self.evict(&state, budget: maxBytes)
            return result
        }
    }

    /// Drops a folder's mirror (after DELETE or RENAME of the folder).
    public func drop(_ key: MirrorKey) {
        update(key) { $0 = nil }
    }

    /// Counts a read, revalidation or sync.
    public func count(hit: Bool? = nil, revalidation: Bool = false, sync: MirrorSyncKind? = nil) {
        state.withLock { state in
            if let hit { if hit { state.statistics.hits += 1 } else { state.statistics.misses += 1 } }
            if revalidation { state.statistics.revalidations += 1 }
            if let sync { state.statistics.syncs[sync, default: 0] += 1 }
        }
    }

    public var statistics: MirrorStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.bytes = state.bytes
            statistics.folders = state.entries.count
            statistics.messages = state.entries.values.reduce(0) { $0 + $1.mirror.messages.count }
            return statistics
        }
    }

    private static func evict(_ state: inout State, budget: Int) {
        while state.bytes > budget, let victim = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            state.bytes -= victim.value.bytes
            state.entries.removeValue(forKey: victim.key)
            state.statistics.evictions += 1
        }
    }
}
