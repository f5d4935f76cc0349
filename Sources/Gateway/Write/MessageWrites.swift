import IMAP
import IMAPClient

/// What happened to one UID of a write (single or batch), before it becomes JSON.
enum WriteOutcome: Sendable, Equatable {
    /// The flags the server reported after the change, with the MODSEQ it gave them when the
    /// STORE's answer carried one (CONDSTORE enabled): what lets a folder mirror take them as
    /// newer than any report it may hear later (`FolderMirror.apply`).
    case flags([Flag], modSeq: ModSequence? = nil)
    /// The server answered OK but the flags do not show the change (it does not keep such a
    /// keyword, or ignored the STORE): the flags it has.
    case flagsNotKept([Flag])
    /// Moved or copied; `uid` is the UID in the destination when the server said (COPYUID).
    case transferred(folder: String, uid: UID?)
    case deleted
    case notFound
    /// A batch cut short by a lost connection: this UID was not changed (re-checked after).
    case notDone
    /// A batch cut short by a lost connection: whether this UID was changed cannot be told.
    case unknown
}

/// The message writes, on a session with the source folder selected read-write, for any number
/// of UIDs in as few IMAP commands as the server allows (the client splits sets only to keep
/// command lines under 1000 octets).
struct MessageWrites {
    let session: any MailSession
    /// `--trash-folder`: where deletes go instead of the folder found by `TrashFolder`.
    var trashFolder: String? = nil
    /// Where a batch notes how far it got, for the answer after a lost connection.
    var progress: BatchProgress? = nil
    /// Moves out of the folder, one at a time per account (`GatewayContext.exclusiveMoves`).
    var exclusive: ExclusiveMoves? = nil

    /// The UIDs of `uids` that exist in the selected folder.
    func existing(_ uids: [UID]) async throws(IMAPError) -> Set<UID> {
        guard !uids.isEmpty else { return [] }
        let found = try await session.uidFetch(UIDSet(uids).compacted(), [.uid])
        return Set(found.compactMap(\.uid)).intersection(uids)
    }

    /// UID STORE (one per change), then the flags as the server now has them; a UID whose flags
    /// do not show the change after a second try is `flagsNotKept`, never reported as done.
    ///
    /// A pooled session that has not yet heard of a UID (another client added the message since
    /// its last command) stores nothing for it, and servers answer OK all the same. The UID FETCH
    /// that reads the flags back tells the session of the message, so the change is sent once
    /// more for the UIDs it did not reach. The common case costs one round trip, as before.
    func changeFlags(_ uids: [UID], _ changes: [StoreOperation]) async throws(IMAPError) -> [UID: WriteOutcome] {
        let expectation = FlagExpectation(changes)
        progress?.sending()
        var outcomes = try await store(uids, changes)
        let unmet = uids.filter { if case .flags(let flags, _) = outcomes[$0] { !expectation.isMet(by: flags) } else { false } }
        guard !unmet.isEmpty else { return outcomes }
        let retried = try await store(unmet, changes)
        for uid in unmet {
            guard case .flags(let flags, let modSeq)? = retried[uid] else { outcomes[uid] = retried[uid]; continue }
            outcomes[uid] = expectation.isMet(by: flags) ? .flags(flags, modSeq: modSeq) : .flagsNotKept(flags)
        }
        return outcomes
    }

    /// `changeFlags`, but UIDs whose flags a folder mirror shows to meet the change already
    /// (`likelyMet`: a client marking a message read that is read) are first asked for their
    /// flags: a STORE that changes nothing gets no FETCH back from the server, and reading the
    /// flags after it would be a second round trip. Only what this UID FETCH reports counts: a UID
    /// it does not report, or whose flags do not meet the change (the mirror was behind), goes
    /// through `changeFlags` as any other.
    func changeFlags(_ uids: [UID], _ changes: [StoreOperation], likelyMet: Set<UID>) async throws(IMAPError) -> [UID: WriteOutcome] {
        let checked = uids.filter(likelyMet.contains)
        guard !checked.isEmpty else { return try await changeFlags(uids, changes) }
        let expectation = FlagExpectation(changes)
        var outcomes: [UID: WriteOutcome] = [:]
        for response in try await session.uidFetch(UIDSet(checked).compacted(), [.uid, .flags]) {
            guard let uid = response.uid, likelyMet.contains(uid), let flags = response.flags, expectation.isMet(by: flags) else { continue }
            outcomes[uid] = .flags(flags)
        }
        let rest = uids.filter { outcomes[$0] == nil }
        guard !rest.isEmpty else { return outcomes }
        return outcomes.merging(try await changeFlags(rest, changes)) { _, stored in stored }
    }

    /// The STOREs of `changeFlags` and the flags afterwards, `notFound` where nothing came back.
    ///
    /// Servers need not report flags that did not change, so UIDs missing from STORE's answer are
    /// asked for with one UID FETCH FLAGS; only a UID absent from that too is `notFound`.
    private func store(_ uids: [UID], _ changes: [StoreOperation]) async throws(IMAPError) -> [UID: WriteOutcome] {
        let set = UIDSet(uids).compacted()
        var reported: [UID: StoredFlags] = [:]
        for (index, change) in changes.enumerated() {
            // Only the last STORE's answer is the final state; the earlier ones run silent.
            let last = index == changes.count - 1
            let answer = try await session.uidStoreReporting(set, change, silent: !last)
            if last { reported = answer }
        }
        var outcomes: [UID: WriteOutcome] = [:]
        var unreported: [UID] = []
        for uid in uids {
            if let stored = reported[uid] { outcomes[uid] = .flags(stored.flags, modSeq: stored.modSeq) } else { unreported.append(uid) }
        }
        if !unreported.isEmpty {
            let fetched = try await session.uidFetch(UIDSet(unreported).compacted(), [.uid, .flags])
            for response in fetched {
                if let uid = response.uid, unreported.contains(uid) { outcomes[uid] = .flags(response.flags ?? []) }
            }
        }
        for uid in uids where outcomes[uid] == nil { outcomes[uid] = .notFound }
        return outcomes
    }

    /// UID MOVE (or the client's COPY + \Deleted + UID EXPUNGE fallback) or UID COPY of the UIDs
    /// that exist; the others are `notFound` and never reach the server.
    func transfer(_ uids: [UID], to folder: MailboxName, move: Bool) async throws(IMAPError) -> [UID: WriteOutcome] {
        guard move, let exclusive else { return try await transferNow(uids, to: folder, move: move) }
        return try await exclusive.run { () async throws(IMAPError) -> [UID: WriteOutcome] in
            // A move that waited for another may find its UIDs gone: NOOP makes this session hear
            // of that move's expunges, so they are answered 404, not "moved" a second time. A
            // folder deleted and created anew meanwhile is selected afresh (Dovecot would move
            // from it through the deleted folder's view, then drop the session).
            _ = try await session.revalidateSelection()
            return try await transferNow(uids, to: folder, move: move)
        }
    }

    private func transferNow(_ uids: [UID], to folder: MailboxName, move: Bool) async throws(IMAPError) -> [UID: WriteOutcome] {
        let present = try await existing(uids)
        progress?.existed(present)
        var outcomes: [UID: WriteOutcome] = [:]
        for uid in uids where !present.contains(uid) { outcomes[uid] = .notFound }
        let targets = uids.filter(present.contains)
        guard !targets.isEmpty else { return outcomes }
        let set = UIDSet(targets).compacted()
        progress?.sending()
        let mapping = move ? try await session.uidMove(set, to: folder) : try await session.uidCopy(set, to: folder)
        for uid in targets {
            outcomes[uid] = .transferred(folder: folder.displayName, uid: mapping?.destination(of: uid))
        }
        return outcomes
    }

    /// `\Deleted` then UID EXPUNGE of exactly these UIDs: other messages flagged `\Deleted` by
    /// someone else stay. Refused before anything changes when the server lacks UIDPLUS.
    func expunge(_ uids: [UID]) async throws(IMAPError) -> [UID: WriteOutcome] {
        guard await session.capabilities().contains(.uidPlus) else {
            throw .missingExtension(.uidPlus)
        }
        let present = try await existing(uids)
        progress?.existed(present)
        var outcomes: [UID: WriteOutcome] = [:]
        for uid in uids { outcomes[uid] = present.contains(uid) ? .deleted : .notFound }
        let targets = uids.filter(present.contains)
        guard !targets.isEmpty else { return outcomes }
        let set = UIDSet(targets).compacted()
        progress?.sending()
        _ = try await session.uidStore(set, .add([.deleted]), silent: true)
        try await session.uidExpunge(set)
        return outcomes
    }

    /// Moves to the trash folder (`TrashFolder`); 409 when there is none or the messages are in it already.
    func moveToTrash(_ uids: [UID], from folder: MailboxName) async throws -> [UID: WriteOutcome] {
        let listings = try await session.listFolders(subscribedOnly: false, includeStatus: false)
        guard let trash = TrashFolder.find(in: listings, configured: trashFolder) else {
            if let trashFolder {
                throw Problem.conflict("no-trash-folder",
                                       "The configured trash folder '\(trashFolder)' (--trash-folder) does not exist; create it, or delete with ?permanent=true to expunge instead.")
            }
            throw Problem.conflict("no-trash-folder",
                                   "The IMAP server names no folder with the \\Trash special use and none has a usual trash name; set --trash-folder, or delete with ?permanent=true to expunge instead.")
        }
        guard trash.name.wireBytes != folder.wireBytes else {
            throw Problem.conflict("already-in-trash",
                                   "The message is in the trash folder already; delete with ?permanent=true to expunge it.")
        }
        return try await transfer(uids, to: trash.name, move: true)
    }
}
