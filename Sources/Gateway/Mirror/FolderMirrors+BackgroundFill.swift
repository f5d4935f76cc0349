import IMAP
import IMAPClient

/// The background fill of a folder too big to fill inline (more than `inlineFillLimit`
/// messages): the folder's watcher fills its mirror on its own session, chunk by chunk, while
/// reads keep going to IMAP (the mirror is served only once complete).
///
/// - Newest first: chunks are cut from the top of the UID list, so the covered range
///   (`FolderMirror.coveredFrom`) always holds the newest messages, the ones the default
///   newest-first pages show and the ones most likely to change.
/// - The per-folder gate is not held while chunks are fetched (readers and writes never wait
///   for the fill); each chunk goes into the store in one step.
/// - Nothing that changes meanwhile is lost: the fill ends with a normal delta sync from the
///   folder's state at its start (`UID FETCH 1:* (CHANGEDSINCE m)` from the HIGHESTMODSEQ at
///   start with QRESYNC or CONDSTORE, a FLAGS diff without), under the gate.
/// - It stops, dropping the part filled, when the mirror is evicted, the watcher stops (task
///   cancelled), the session fails or the folder's UIDVALIDITY changes; and it does not start
///   (or stops after its first chunk) when the folder would not fit the byte budget.
extension FolderMirrors {
    /// Whether the watcher's sync of `key` must fill the mirror in the background: the folder
    /// has more than `inlineFillLimit` messages and no complete mirror of this UIDVALIDITY.
    func needsBackgroundFill(_ key: MirrorKey, session: any MailSession, selected: SelectedMailbox) async throws -> Bool {
        let now = await session.selectedFolder() ?? selected
        guard now.exists > inlineFillLimit else { return false }
        return peek(key) { $0.uidValidity == (now.uidValidity ?? selected.uidValidity) } != true
    }

    /// Fills the mirror of `key` on `session` (the folder's watcher's, with the folder EXAMINEd
    /// as `selected`) in chunks of `fillChunkSize`; the state once complete and current, nil when
    /// the fill stopped or was not started (too big for the budget).
    func fillInBackground(_ key: MirrorKey, session: any MailSession, selected: SelectedMailbox) async throws -> MirrorState? {
        // The session's view now, not the EXAMINE answer of long ago (a watcher refills after an eviction).
        let start = await session.selectedFolder() ?? selected
        guard let validity = start.uidValidity ?? selected.uidValidity else { return nil }
        let mode = await Self.mode(session: session, selected: start)
        // A lower bound of the bytes (the struct alone), or what an earlier fill learned.
        let perMessage = declinedFills.withLock { $0[key] } ?? MemoryLayout<MirrorMessage>.stride
        guard start.exists * perMessage <= store.maxBytes else {
            declinedFills.withLock { $0[key] = perMessage }
            return nil
        }

        // Where the closing delta sync starts from. Values older than the truth are safe (the
        // sync reports more); so the view as the session knows it is.
        let modSeqAtStart = mode == .plain ? nil : start.highestModSeq
        let uidNextAtStart = start.uidNext ?? UID(1)
        var uids = try await session.uidSearch(.all)
        if !uids.isStrictlyAscending { uids = Set(uids).sorted() }
        store.count(sync: .fill)
        // A fresh mirror, covering nothing yet: a part left by a fill that stopped is void (the
        // changes since it was fetched are not known).
        store.update(key) { mirror in
            mirror = FolderMirror(uidValidity: validity, uidNext: uidNextAtStart, highestModSeq: modSeqAtStart,
                                  logCapacity: store.logCapacity)
        }
        var complete = false
        defer {
            if !complete {
                store.update(key) { mirror in
                    if mirror?.isComplete == false, mirror?.uidValidity == validity { mirror = nil }
                }
            }
        }
        let items = Self.summaryItems(withModSeq: modSeqAtStart != nil)
        var end = uids.count
        var measured = false
        while end > 0 {
            try Task.checkCancellation()
            let lower = max(0, end - fillChunkSize)
            let responses = try await session.uidFetch(UIDSet(Array(uids[lower..<end])).compacted(), items)
            if let now = await session.selectedFolder()?.uidValidity, now != validity { return nil }
            var chunk = MirrorDelta()
            chunk.created = responses.compactMap(Self.mirrorMessage)
            chunk.coveredFrom = lower == 0 ? UID(1) : uids[lower]
            let fits = store.update(key) { mirror -> Bool? in
                // Evicted, or replaced by another incarnation of the folder: stop.
                guard mirror != nil, mirror?.uidValidity == validity else { return nil }
                mirror?.apply(chunk)
                guard !measured, let held = mirror, !held.messages.isEmpty else { return true }
                // The first chunk tells what a message of this folder costs.
                let bytes = held.messageBytes / held.messages.count
                return uids.count * bytes <= store.maxBytes ? true : false
            }
            guard let fits else { return nil }
            if !measured {
                measured = true
                if !fits {
                    let bytes = store.read(key) { $0.messageBytes / max(1, $0.messages.count) } ?? perMessage
                    declinedFills.withLock { $0[key] = bytes }
                    return nil
                }
            }
            end = lower
        }
        declinedFills.withLock { $0[key] = nil }
        return try await closeFill(key, session: session, selected: start, basis: MirrorBasis(
            uidValidity: validity, uidNext: uidNextAtStart, highestModSeq: modSeqAtStart, uids: []), complete: &complete)
    }

    /// The fill's closing delta sync, from the folder's state at the fill's start, under the gate.
    private func closeFill(_ key: MirrorKey, session: any MailSession, selected: SelectedMailbox, basis: MirrorBasis,
                           complete: inout Bool) async throws -> MirrorState? {
        await gates.lock(key)
        defer { gates.unlock(key) }
        let held = store.read(key) { mirror -> [UID]? in
            mirror.isComplete && mirror.uidValidity == basis.uidValidity ? mirror.uids : nil
        } ?? nil
        guard let held else { return nil }
        // From here the mirror is complete: a read revalidates it from its own basis (the state at
        // the fill's start), so it is correct even if this sync does not finish.
        complete = true
        // NOOP first: the one command that makes Dovecot tell of a folder deleted and created
        // anew during the fill (its FETCH and CHANGEDSINCE answers come from the deleted one).
        let now = try await session.revalidateSelection() ?? selected
        if now.uidValidity != basis.uidValidity {
            // The watcher's next sync fills the new folder.
            store.drop(key)
            return nil
        }
        var basis = basis
        basis.uids = held
        try await sync(key, basis: basis, session: session, selected: now, countAs: .watcher)
        return store.read(key) { $0.isComplete ? $0.state : nil } ?? nil
    }
}
