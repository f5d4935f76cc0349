import IMAP
import IMAPClient
import Sockets

/// The gateway's folder mirrors and how they are kept current: every read through a mirror first
/// revalidates it on the session the route holds (the folder already selected), with one
/// `UID FETCH 1:* (FLAGS MODSEQ) (CHANGEDSINCE m)` when nothing changed (CONDSTORE or QRESYNC),
/// then answers from the mirror. Syncs of one folder run one at a time; reads of different
/// folders do not wait for each other.
public final class FolderMirrors: Sendable {
    public let store: MirrorStore
    /// Folders with more messages than this are not filled inline by a read (the page is read
    /// from IMAP as without a mirror): the folder's watcher fills them in the background
    /// (FolderMirrors+BackgroundFill.swift).
    public let inlineFillLimit: Int
    /// Messages per `UID FETCH` of a background fill.
    public let fillChunkSize: Int

    let gates = KeyedGate<MirrorKey>()
    /// Sessions whose view a mirror is known to equal: their reads revalidate with the NOOP alone.
    let verifiedViews = VerifiedViews()
    /// Background fill: bytes per message learned for folders found too big for the budget.
    let declinedFills = Protected<[MirrorKey: Int]>([:])

    public init(maxBytes: Int, inlineFillLimit: Int = 20_000, fillChunkSize: Int = 2_000, logCapacity: Int = 10_000) {
        store = MirrorStore(maxBytes: maxBytes, logCapacity: logCapacity)
        self.inlineFillLimit = inlineFillLimit
        self.fillChunkSize = max(1, fillChunkSize)
    }

    /// Brings the mirror of `key` up to date on `session`, which has the folder selected as
    /// `selected`, then runs `read` on it. nil when the folder cannot be mirrored now (too big to
    /// fill inline, or bigger than the whole budget): the caller answers from IMAP.
    ///
    /// The session's view is checked first (`revalidateSelection`: NOOP, unless the caller just
    /// did): only a command that makes the server bring the view up to date shows a folder
    /// deleted and created anew. `UID FETCH (CHANGEDSINCE)`, with or without VANISHED, and a
    /// FLAGS fetch do not: Dovecot answers them from the deleted folder, logging errors, and may
    /// even mark the new folder's index corrupted. The NOOP is also the revalidation itself when
    /// the mirror is known to equal this session's view and the NOOP told the session of no
    /// change (`VerifiedViews`): one round trip. Otherwise the sync's command follows, two.
    public func withCurrentMirror<Result>(_ key: MirrorKey, session: any MailSession, selected: SelectedMailbox,
                                          revalidated: Bool = false,
                                          _ read: (FolderMirror) throws -> Result) async throws -> Result? {
        await gates.lock(key)
        defer { gates.unlock(key) }
        var selected = selected
        if !revalidated {
            selected = try await session.revalidateSelection() ?? selected
        } else {
            selected = try await session.reselectIfInDoubt() ?? selected
        }
        var basis = store.read(key) { $0.isComplete ? MirrorBasis($0) : nil } ?? nil
        if let known = basis, known.uidValidity != selected.uidValidity {
            // The folder was created anew: every mirrored UID is void; fill from nothing.
            store.drop(key)
            basis = nil
        }
        if basis == nil, selected.exists > inlineFillLimit {
            store.count(hit: false)
            return nil
        }
        let version = await session.mailboxViewVersion()
        if basis == nil || !verifiedViews.isLevel(key, version: version, fingerprint: fingerprint(key)) {
            try await sync(key, basis: basis, session: session, selected: selected)
            // A quiet sync (the session heard nothing new during it) left the mirror level with the view.
            if basis != nil, let version, await session.mailboxViewVersion() == version {
                verifiedViews.note(key, version: version, fingerprint: fingerprint(key))
            }
        }
        let result = try store.read(key) { mirror -> Result? in mirror.isComplete ? try read(mirror) : nil } ?? nil
        store.count(hit: result != nil, revalidation: basis != nil)
        return result
    }

    /// Brings the mirror of `key` up to date on a folder watcher's own session (the folder
    /// EXAMINEd as `selected`), under the same per-folder gate as reads; the state after it, or
    /// nil when the folder has no complete mirror. A folder too big to fill inline is filled
    /// here in the background, in chunks, without holding the gate (`fillInBackground`).
    public func syncWatched(_ key: MirrorKey, session: any MailSession, selected: SelectedMailbox) async throws -> MirrorState? {
        if try await needsBackgroundFill(key, session: session, selected: selected) {
            return try await fillInBackground(key, session: session, selected: selected)
        }
        await gates.lock(key)
        defer { gates.unlock(key) }
        let basis = store.read(key) { $0.isComplete ? MirrorBasis($0) : nil } ?? nil
        if basis == nil, selected.exists > inlineFillLimit { return nil }
        try await sync(key, basis: basis, session: session, selected: selected, countAs: basis == nil ? nil : .watcher)
        return store.read(key) { $0.isComplete ? $0.state : nil } ?? nil
    }

    /// Applies flag changes a watcher's session heard in IDLE, with no IMAP command, under the
    /// per-folder gate syncs use: the state after it, or nil when they cannot be applied alone
    /// (the watcher then leaves IDLE and syncs). Only sound with QRESYNC enabled (RFC 7162
    /// §3.2.4: every FETCH then carries the UID, and MODSEQ with a flag change), for a complete
    /// mirror of the folder's `uidValidity` holding every UID reported: the delta is the one a
    /// `CHANGEDSINCE` sync would have applied for these answers (flags, MODSEQ, and the
    /// mirror's HIGHESTMODSEQ raised to the highest reported).
    func applyIdleFlags(_ key: MirrorKey, _ responses: [FetchResponse], uidValidity: UIDValidity?) async -> MirrorState? {
        let updates = responses.compactMap(Self.flagUpdate)
        guard !updates.isEmpty, updates.count == responses.count, updates.allSatisfy({ $0.modSeq != nil }) else { return nil }
        await gates.lock(key)
        defer { gates.unlock(key) }
        let applicable = store.read(key) { mirror in
            mirror.isComplete && mirror.uidValidity == uidValidity && updates.allSatisfy { mirror.message($0.uid) != nil }
        } ?? false
        guard applicable else { return nil }
        // Raising HIGHESTMODSEQ is what a CHANGEDSINCE answer does too. A report after this one
        // makes the watcher sync from the raised value: a message created or expunged with a
        // lower MODSEQ is still found by the sync's count check (`SyncPlanner.expungeCheckOrFinish`).
        var delta = MirrorDelta(highestModSeq: updates.compactMap(\.modSeq).max())
        delta.flagUpdates = updates
        store.count(sync: .idle)
        apply(delta, to: key, incremental: true)
        return store.read(key) { $0.isComplete ? $0.state : nil } ?? nil
    }

    /// What identifies the complete mirror of `key` as it is now (nil when there is none).
    private func fingerprint(_ key: MirrorKey) -> VerifiedViews.Fingerprint? {
        store.read(key) { $0.isComplete ? VerifiedViews.Fingerprint($0) : nil } ?? nil
    }

    /// Reads the mirror as it is, without IMAP (nil when there is none or it is incomplete).
    public func peek<Result>(_ key: MirrorKey, _ read: (FolderMirror) -> Result) -> Result? {
        store.read(key) { $0.isComplete ? read($0) : nil } ?? nil
    }

    /// How `session` can resynchronise its selected folder.
    static func mode(session: any MailSession, selected: SelectedMailbox) async -> SyncMode {
        if selected.noModSeq || selected.highestModSeq == nil { return .plain }
        if await session.enabledExtensions().contains(.qresync) { return .qresync }
        if await session.capabilities().contains(.condStore) { return .condStore }
        return .plain
    }

    func sync(_ key: MirrorKey, basis: MirrorBasis?, session: any MailSession, selected: SelectedMailbox,
              countAs: MirrorSyncKind? = nil) async throws {
        let mode = await Self.mode(session: session, selected: selected)
        var planner = SyncPlanner(mode: mode, basis: basis, selected: true)
        let withModSeq = planner.mode != .plain || (basis == nil && mode != .plain)
        let summaryItems = Self.summaryItems(withModSeq: withModSeq)
        store.count(sync: basis == nil ? .full : countAs ?? Self.kind(planner.mode))
        var step = planner.start()
        while true {
            let answer: SyncAnswer
            switch step {
            case .select, .selectQResync:
                // The route's session has the folder selected; its state is the SELECT's answer.
                let now = await session.selectedFolder() ?? selected
                answer = .selected(Self.snapshot(now, fallback: selected), changed: [], vanished: [])
            case .fetchChanges(let modSeq, let vanished):
                let all = UIDSet(ranges: [MessageRange(UID(1), nil)])
                let result = try await session.uidFetchChanges(all, [.uid, .flags, .modSeq], changedSince: modSeq, vanished: vanished)
                answer = .changes(Self.snapshot(result.selected, fallback: selected),
                                  changed: result.changed.compactMap(Self.flagUpdate), vanished: result.vanished)
            case .searchAll:
                var all = try await session.uidSearch(.all)
                if Self.mayBeBehind(basis, answered: all.max()) {
                    try await session.noop()
                    all = try await session.uidSearch(.all)
                }
                answer = .uids(all)
            case .fetchFlags(let set):
                let items: [FetchItem] = [.uid, .flags] + (withModSeq ? [.modSeq] : [])
                var responses = try await session.uidFetch(set, items)
                if set.ranges.last?.upper == nil, Self.mayBeBehind(basis, answered: responses.compactMap(\.uid).max()) {
                    try await session.noop()
                    responses = try await session.uidFetch(set, items)
                }
                let now = await session.selectedFolder() ?? selected
                answer = .flags(Self.snapshot(now, fallback: selected), responses.compactMap(Self.flagUpdate))
            case .fetchSummaries(let set):
                let responses = try await session.uidFetch(set, summaryItems)
                answer = .summaries(responses.compactMap(Self.mirrorMessage))
            case .apply(let delta):
                apply(delta, to: key, incremental: basis != nil)
                answer = .applied
            case .finished(let delta):
                apply(delta, to: key, incremental: basis != nil)
                return
            }
            do {
                step = try planner.next(answer)
            } catch {
                throw IMAPError.protocolViolation("folder mirror sync: \(error)")
            }
        }
    }

    /// What a mirror fetches of a message it does not hold: the list row's items, the
    /// `References` header for threading, and MODSEQ where the sync mode tracks it.
    static func summaryItems(withModSeq: Bool) -> [FetchItem] {
        SummaryField.fetchItems(for: SummaryField.defaults) + [ReferencesHeader.fetchItem] + (withModSeq ? [.modSeq] : [])
    }

    /// A mirrored message from a FETCH answer of `summaryItems` (nil without a UID).
    static func mirrorMessage(_ response: FetchResponse) -> MirrorMessage? {
        guard let uid = response.uid else { return nil }
        var summary = MessageSummaryJSON(response, uid: uid, fields: SummaryField.defaults)
        summary.flags.removeAll(where: isRecent)
        return MirrorMessage(uid: uid, summary: summary, modSeq: response.modSeq, references: ReferencesHeader.value(in: response))
    }

    /// Whether an answer about every message (`UID SEARCH ALL`, `UID FETCH n:*`) whose highest
    /// UID is `answered` may come from a session that has not yet heard of the newest mirrored
    /// messages: a folder's watcher (or another session) can put them in the mirror before this
    /// pooled session's next command tells it of them, and a UID missing from its answer would
    /// then look expunged. A NOOP brings the session's view up to date first (one more round trip,
    /// only when the mirror's newest UID is missing from the answer).
    private static func mayBeBehind(_ basis: MirrorBasis?, answered: UID?) -> Bool {
        guard let top = basis?.uids.last else { return false }
        return answered.map { $0 < top } ?? true
    }

    /// Applies a sync's delta. An incremental delta for a mirror evicted meanwhile is dropped
    /// (it only makes sense on top of what was there); a fill creates the mirror.
    private func apply(_ delta: MirrorDelta, to key: MirrorKey, incremental: Bool) {
        store.update(key) { mirror in
            if mirror == nil {
                guard !incremental, let validity = delta.uidValidity else { return }
                mirror = FolderMirror(uidValidity: validity, uidNext: delta.uidNext ?? UID(1), highestModSeq: delta.highestModSeq,
                                      logCapacity: store.logCapacity)
            }
            mirror?.apply(delta)
        }
    }

    /// Applies what a write through the gateway established once its tagged OK arrived (flags
    /// after STORE, UIDs expunged or moved away), so the writer reads it back at once. Skipped
    /// when the folder has no mirror.
    public func applyWrite(_ key: MirrorKey, _ delta: MirrorDelta) {
        store.update(key) { mirror in mirror?.apply(delta) }
    }

    /// Drops a folder's mirror (deleted, renamed, or recreated).
    public func drop(_ key: MirrorKey) { store.drop(key) }

    private static func kind(_ mode: SyncMode) -> MirrorSyncKind {
        switch mode {
        case .qresync: .qresync
        case .condStore: .condstore
        case .plain: .flags
        }
    }

    private static func snapshot(_ state: SelectedMailbox, fallback: SelectedMailbox) -> FolderSnapshot {
        FolderSnapshot(uidValidity: state.uidValidity ?? fallback.uidValidity ?? 0, uidNext: state.uidNext,
                       exists: state.exists, highestModSeq: state.highestModSeq)
    }

    private static func flagUpdate(_ response: FetchResponse) -> FlagUpdate? {
        guard let uid = response.uid, let flags = response.flags else { return nil }
        return FlagUpdate(uid: uid, flags: withoutRecent(flags), modSeq: response.modSeq)
    }

    /// `\Recent` says which session saw a message first: a property of the session, not of
    /// the message, so a mirror shared by every session leaves it out, and so does a message's
    /// JSON (a pooled session saw it first at random).
    static let recent = "\\Recent"

    /// Whether `flag` is `\Recent` (flag names are case-insensitive, RFC 3501 §2.3.2).
    static func isRecent(_ flag: String) -> Bool { flag.caseInsensitiveCompare(recent) == .orderedSame }

    /// Flags as a mirror keeps them and a message's JSON shows them: without `\Recent`.
    static func withoutRecent(_ flags: [Flag]) -> [String] { flags.map(\.rawValue).filter { !isRecent($0) } }
}

/// One async lock per key: waiters queue in order; no thread blocks.
final class KeyedGate<Key: Hashable & Sendable>: Sendable {
    private struct Waiters {
        var held: Set<Key> = []
        var queues: [Key: [CheckedContinuation<Void, Never>]] = [:]
    }

    private let state = Protected(Waiters())

    func lock(_ key: Key) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state in
                if state.held.insert(key).inserted { return true }
                state.queues[key, default: []].append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    func unlock(_ key: Key) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard var queue = state.queues[key], !queue.isEmpty else {
                state.held.remove(key)
                state.queues[key] = nil
                return nil
            }
            let first = queue.removeFirst()
            state.queues[key] = queue.isEmpty ? nil : queue
            return first
        }
        next?.resume()
    }
}
