import IMAP

/// How a folder can be resynchronised, from the server's extensions.
public enum SyncMode: String, Sendable, Hashable, CaseIterable {
    /// RFC 7162 QRESYNC: one command reports changed flags and expunged UIDs.
    case qresync
    /// CONDSTORE only: changed flags by MODSEQ; expunges from a UID list when the count says so.
    case condStore
    /// Neither: a chunked `UID FETCH (FLAGS)` diff over every known UID.
    case plain
}

/// What the planner knows of the mirror it brings up to date.
public struct MirrorBasis: Sendable, Hashable {
    public var uidValidity: UIDValidity
    public var uidNext: UID
    public var highestModSeq: ModSequence?
    /// Every mirrored UID, ascending.
    public var uids: [UID]

    public init(uidValidity: UIDValidity, uidNext: UID, highestModSeq: ModSequence?, uids: [UID]) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.highestModSeq = highestModSeq
        self.uids = uids
    }

    public init(_ mirror: FolderMirror) {
        self.init(uidValidity: mirror.uidValidity, uidNext: mirror.uidNext, highestModSeq: mirror.highestModSeq, uids: mirror.uids)
    }
}

/// What the folder looked like in the server's answer.
public struct FolderSnapshot: Sendable, Hashable {
    public var uidValidity: UIDValidity
    public var uidNext: UID?
    public var exists: Int
    public var highestModSeq: ModSequence?

    public init(uidValidity: UIDValidity, uidNext: UID?, exists: Int, highestModSeq: ModSequence?) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.exists = exists
        self.highestModSeq = highestModSeq
    }
}

/// One IMAP step the sync engine must run next, or a delta to apply.
public enum SyncStep: Sendable {
    /// SELECT/EXAMINE the folder with `(QRESYNC (...))`; answer `.selected`.
    case selectQResync(QResyncParameters)
    /// SELECT/EXAMINE the folder (with CONDSTORE when offered); answer `.selected` with no changes.
    case select
    /// `UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE m [VANISHED])`; answer `.changes`.
    case fetchChanges(changedSince: ModSequence, vanished: Bool)
    /// `UID SEARCH ALL`; answer `.uids`.
    case searchAll
    /// `UID FETCH set (UID FLAGS [MODSEQ])`; answer `.flags` with the folder as the session
    /// knows it afterwards.
    case fetchFlags(UIDSet)
    /// `UID FETCH set` of the summary items (and MODSEQ, References); answer `.summaries`.
    case fetchSummaries(UIDSet)
    /// Apply this to the mirror (a fill chunk, or a reset), then answer `.applied`.
    case apply(MirrorDelta)
    /// Apply this last delta; the sync is over.
    case finished(MirrorDelta)
}

/// The server's answer to a step.
public enum SyncAnswer: Sendable {
    case selected(FolderSnapshot, changed: [FlagUpdate], vanished: [UID])
    case changes(FolderSnapshot, changed: [FlagUpdate], vanished: [UID])
    case uids([UID])
    case flags(FolderSnapshot, [FlagUpdate])
    case summaries([MirrorMessage])
    case applied
}

/// An answer that does not fit the step asked (a bug in the engine, never the server's fault).
public struct SyncPlanError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// The sync as a state machine apart from I/O: it says which IMAP command to run, reads the
/// answer and finally yields the delta to apply. Two plans:
///
/// - **Fill** (no mirror, or UIDVALIDITY changed): SELECT, `UID SEARCH ALL`, then the summaries in
///   chunks from the newest down, each chunk applied as it arrives (so the newest pages can be
///   served before an old 100,000-message folder is complete).
/// - **Resync** of a mirror, by mode. QRESYNC: one SELECT with QRESYNC (or UID FETCH CHANGEDSINCE
///   VANISHED on a session that has the folder selected). CONDSTORE: UID FETCH CHANGEDSINCE, and
///   `UID SEARCH ALL` only when the message count says something was expunged. Neither: UID
///   FETCH (FLAGS) over the known UIDs in chunks; a known UID missing from the answer is gone.
///   Then, in every mode, the summaries of UIDs from the old UIDNEXT up.
public struct SyncPlanner: Sendable {
    public let mode: SyncMode
    /// Messages per summary chunk of a fill.
    public let chunkSize: Int
    /// Known UIDs per `UID FETCH (FLAGS)` of the plain diff.
    public let flagChunkSize: Int

    private var basis: MirrorBasis?
    private let selected: Bool
    private var phase: Phase = .start
    private var delta = MirrorDelta()
    private var snapshot: FolderSnapshot?
    /// Fill: the UIDs still to fetch, ascending (chunks are cut from the end).
    private var pending: [UID] = []
    /// Plain diff: where the next flag chunk starts in `basis.uids`.
    private var flagOffset = 0
    /// New UIDs seen in flag answers.
    private var newUIDs: Set<UID> = []
    /// The folder was SELECTed during this sync, so the snapshot's UIDNEXT is current.
    private var selectedNow = false

    private enum Phase { case start, selecting, changes, flagChunks, newSummaries, expungeCheck, lateSummaries, fillSearch, fillChunks, done }

    /// - Parameters:
    ///   - basis: the mirror to bring up to date; nil to fill from nothing.
    ///   - selected: the session has the folder selected already (with QRESYNC or CONDSTORE
    ///     enabled as the mode needs), so no SELECT is needed to ask for changes.
    public init(mode: SyncMode, basis: MirrorBasis?, selected: Bool, chunkSize: Int = 500, flagChunkSize: Int = 5000) {
        var mode = mode
        // Without a HIGHESTMODSEQ there is nothing to ask changes since.
        if basis?.highestModSeq == nil, mode != .plain, basis != nil { mode = .plain }
        self.mode = mode
        self.basis = basis
        self.selected = selected
        self.chunkSize = max(1, chunkSize)
        self.flagChunkSize = max(1, flagChunkSize)
    }

    /// The first step.
    public mutating func start() -> SyncStep {
        guard let basis else {
            phase = .selecting
            return .select
        }
        switch mode {
        case .qresync:
            if selected, let modSeq = basis.highestModSeq {
                phase = .changes
                return .fetchChanges(changedSince: modSeq, vanished: true)
            }
            phase = .selecting
            // The known UIDs go along when they are short to write; otherwise the server reports
            // every UID expunged since the MODSEQ, unknown ones included (harmless, ignored).
            let known = UIDSet(basis.uids).compacted()
            let knownUIDs = known.wireText.utf8.count <= 400 ? known : nil
            return .selectQResync(QResyncParameters(uidValidity: basis.uidValidity, modSeq: basis.highestModSeq ?? 0, knownUIDs: knownUIDs))
        case .condStore:
            if selected, let modSeq = basis.highestModSeq {
                phase = .changes
                return .fetchChanges(changedSince: modSeq, vanished: false)
            }
            phase = .selecting
            return .select
        case .plain:
            if selected { return startFlagChunks() }
            phase = .selecting
            return .select
        }
    }

    /// The step after `answer`.
    public mutating func next(_ answer: SyncAnswer) throws(SyncPlanError) -> SyncStep {
        switch (phase, answer) {
        case (.selecting, .selected(let folder, let changed, let vanished)):
            return try afterSelect(folder, changed: changed, vanished: vanished)
        case (.changes, .changes(let folder, let changed, let vanished)):
            return afterChanges(folder, changed: changed, vanished: vanished)
        case (.flagChunks, .flags(let folder, let updates)):
            snapshot = folder
            // The folder was recreated under the session: every UID is void.
            if let basis, basis.uidValidity != folder.uidValidity {
                delta = MirrorDelta(uidValidity: folder.uidValidity, uidNext: folder.uidNext, highestModSeq: folder.highestModSeq)
                return startFill(folder)
            }
            return afterFlagChunk(updates)
        case (.newSummaries, .summaries(let messages)):
            guard let basis else { throw SyncPlanError(description: "new summaries without a mirror") }
            delta.created += messages.filter { $0.uid >= basis.uidNext }
            return expungeCheckOrFinish()
        case (.expungeCheck, .uids(let all)):
            guard let basis else { throw SyncPlanError(description: "expunge check without a mirror") }
            let present = Set(all)
            let gone = Set(delta.destroyed)
            delta.destroyed += basis.uids.filter { !present.contains($0) && !gone.contains($0) }
            // Mail that arrived while the command ran: some servers leave it out of a CHANGEDSINCE
            // or `n:*` answer (Dovecot resolves the set before announcing it), the UID list has it.
            let created = Set(delta.created.map(\.uid))
            let late = all.filter { $0 >= basis.uidNext && !created.contains($0) }
            guard late.isEmpty else {
                phase = .lateSummaries
                return .fetchSummaries(UIDSet(late).compacted())
            }
            return finish()
        case (.lateSummaries, .summaries(let messages)):
            guard let basis else { throw SyncPlanError(description: "late summaries without a mirror") }
            delta.created += messages.filter { $0.uid >= basis.uidNext }
            return finish()
        case (.fillSearch, .uids(let all)):
            pending = all.isStrictlyAscending ? all : Set(all).sorted()
            return nextFillChunk(after: nil)
        case (.fillChunks, .summaries(let messages)):
            return nextFillChunk(after: messages)
        case (.fillChunks, .applied):
            return nextFillChunk(after: [])
        default:
            throw SyncPlanError(description: "answer \(answer) does not fit the sync's phase \(phase)")
        }
    }

    // MARK: Resync

    private mutating func afterSelect(_ folder: FolderSnapshot, changed: [FlagUpdate], vanished: [UID]) throws(SyncPlanError) -> SyncStep {
        snapshot = folder
        selectedNow = true
        delta.uidValidity = folder.uidValidity
        delta.uidNext = folder.uidNext
        delta.highestModSeq = folder.highestModSeq
        guard let basis, basis.uidValidity == folder.uidValidity else {
            // No mirror, or every UID is void: apply the reset, then fill.
            return startFill(folder)
        }
        switch mode {
        case .qresync:
            return afterChanges(folder, changed: changed, vanished: vanished)
        case .condStore:
            guard let modSeq = basis.highestModSeq else { return startFlagChunks() }
            phase = .changes
            return .fetchChanges(changedSince: modSeq, vanished: false)
        case .plain:
            return startFlagChunks()
        }
    }

    private mutating func afterChanges(_ folder: FolderSnapshot, changed: [FlagUpdate], vanished: [UID]) -> SyncStep {
        snapshot = folder
        delta.uidValidity = folder.uidValidity
        delta.uidNext = folder.uidNext
        // CHANGEDSINCE reports every message changed since the mirror's MODSEQ, so the highest
        // MODSEQ it reports is one the mirror is now current to. Servers need not announce the
        // new HIGHESTMODSEQ (Dovecot with CONDSTORE alone does not): without this the next sync
        // would be asked for, and answer, the same changes again.
        delta.highestModSeq = [folder.highestModSeq, changed.compactMap(\.modSeq).max()].compactMap { $0 }.max()
        guard let basis, basis.uidValidity == folder.uidValidity else { return startFill(folder) }
        delta.destroyed += vanished
        note(changed, basis: basis)
        return newSummariesOrFinish()
    }

    /// Flag answers: known UIDs are updates; UIDs from the old UIDNEXT up are new messages, whose
    /// summaries follow (CHANGEDSINCE and a `n:*` FLAGS fetch report new messages too).
    private mutating func note(_ answers: [FlagUpdate], basis: MirrorBasis) {
        for answer in answers {
            if answer.uid < basis.uidNext { delta.flagUpdates.append(answer) } else { newUIDs.insert(answer.uid) }
        }
    }

    private mutating func startFlagChunks() -> SyncStep {
        phase = .flagChunks
        flagOffset = 0
        return nextFlagChunk()
    }

    private mutating func nextFlagChunk() -> SyncStep {
        guard let basis else { return finish() }
        guard flagOffset < max(1, basis.uids.count) else { return newSummariesOrFinish() }
        let end = min(basis.uids.count, flagOffset + flagChunkSize)
        // One range per chunk: short to write, and the mirror holds every message in between (it
        // is complete over its covered range). The last chunk runs to `*` so it also reports
        // new messages.
        let lower = flagOffset < basis.uids.count ? basis.uids[flagOffset] : basis.uidNext
        let upper: UID? = end == basis.uids.count ? nil : basis.uids[end - 1]
        return .fetchFlags(UIDSet(ranges: [MessageRange(lower, upper)]))
    }

    private mutating func afterFlagChunk(_ updates: [FlagUpdate]) -> SyncStep {
        guard let basis else { return finish() }
        let end = min(basis.uids.count, flagOffset + flagChunkSize)
        let chunk = basis.uids[flagOffset..<end]
        let answered = Set(updates.map(\.uid))
        delta.destroyed += chunk.filter { !answered.contains($0) }
        note(updates, basis: basis)
        flagOffset = max(end, flagOffset + 1)
        return nextFlagChunk()
    }

    private mutating func newSummariesOrFinish() -> SyncStep {
        guard let basis else { return finish() }
        phase = .newSummaries
        // After a SELECT its UIDNEXT is current: anything from the old one up is new.
        if selectedNow, let next = snapshot?.uidNext, next > basis.uidNext {
            // `n:*` also matches the highest UID when it is below n: answers are filtered.
            return .fetchSummaries(UIDSet(ranges: [MessageRange(basis.uidNext, nil)]))
        }
        guard !newUIDs.isEmpty else { return expungeCheckOrFinish() }
        return .fetchSummaries(UIDSet(newUIDs.sorted()).compacted())
    }

    private mutating func expungeCheckOrFinish() -> SyncStep {
        guard let basis, let snapshot else { return finish() }
        // UIDs are never reused: the count now is the known ones still there plus the new ones.
        // Equal means the answers missed nothing (no expunge unreported, no mail that arrived
        // during the command left out), so the UID list is not needed. In every mode: it costs
        // nothing when the counts agree.
        let gone = Set(delta.destroyed).intersection(basis.uids).count
        if snapshot.exists == basis.uids.count - gone + delta.created.count { return finish() }
        phase = .expungeCheck
        return .searchAll
    }

    private mutating func finish() -> SyncStep {
        phase = .done
        return .finished(delta)
    }

    // MARK: Fill

    private mutating func startFill(_ folder: FolderSnapshot) -> SyncStep {
        basis = nil
        snapshot = folder
        if folder.exists == 0 {
            var empty = delta
            empty.coveredFrom = UID(1)
            phase = .done
            return .finished(empty)
        }
        phase = .fillSearch
        return .searchAll
    }

    /// After the UID list (`messages` nil), a fetched chunk (its summaries) or an applied one
    /// (empty): the next chunk to fetch, or the chunk to apply.
    private mutating func nextFillChunk(after messages: [MirrorMessage]?) -> SyncStep {
        if let messages, !applying, let start = fillChunkStart {
            // The chunk just fetched: everything from its lowest UID up is now mirrored.
            var chunk = delta
            chunk.created = messages
            chunk.coveredFrom = start == 0 ? UID(1) : pending[start]
            pending.removeSubrange(start...)
            fillChunkStart = nil
            // Identifiers go with the first chunk only.
            delta = MirrorDelta()
            if pending.isEmpty {
                phase = .done
                return .finished(chunk)
            }
            applying = true
            return .apply(chunk)
        }
        applying = false
        guard !pending.isEmpty else {
            var last = delta
            last.coveredFrom = UID(1)
            phase = .done
            return .finished(last)
        }
        phase = .fillChunks
        let start = max(0, pending.count - chunkSize)
        fillChunkStart = start
        return .fetchSummaries(UIDSet(pending[start...]).compacted())
    }

    private var fillChunkStart: Int?
    private var applying = false
}
