import IMAP
import IMAPClient

/// Writes through the gateway update the folder mirrors when their tagged OK has arrived, so a
/// client reads its own writes even from a mirror that is not revalidated before the read (a
/// watched folder).
///
/// What a write establishes goes straight in: flags as the server reported them after STORE,
/// UIDs moved away, deleted or expunged. A message a write creates (upload, copy or move into a
/// folder) is not: its row (envelope, structure, size) is not in the write's answer, and
/// fetching it would cost a SELECT of the destination on the writer's session (30 ms for a
/// 20,000-message folder on Dovecot) for every upload. The destination mirror instead awaits the
/// new UID (`FolderMirror.awaitCreated`): the next read revalidates it first, which on a session
/// that has the folder selected is the one command every revalidation costs, fetching just the
/// new rows (`UID FETCH uidnext:*`). A watcher hears of the message from the server's IDLE at
/// about the same time and clears the wait with its own sync.
extension GatewayContext {
    /// After a message write in `folder` (single or batch): flags stored, messages expunged,
    /// moved away (`moved`) or copied; destinations await their new messages.
    ///
    /// Flags carry the MODSEQ the STORE reported, so a later report older than the write (a
    /// sync's answer, an IDLE FETCH) cannot put the old flags back (`FolderMirror.apply`). Run
    /// within the write's lease (`WriteReceipt.current`), a write whose every outcome is such a
    /// flag change, now in the complete mirror, is noted so: the watchers need not sync after it.
    func mirrorAfterWrite(_ caller: Caller, folder: String, _ outcomes: [UID: WriteOutcome], moved: Bool) {
        guard let mirrors else { return }
        var delta = MirrorDelta()
        var created: [String: [UID?]] = [:]
        for (uid, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
            switch outcome {
            case .flags(let flags, let modSeq):
                delta.flagUpdates.append(FlagUpdate(uid: uid, flags: FolderMirrors.withoutRecent(flags), modSeq: modSeq))
            case .flagsNotKept(let flags):
                delta.flagUpdates.append(FlagUpdate(uid: uid, flags: FolderMirrors.withoutRecent(flags)))
            case .transferred(let destination, let newUID):
                if moved { delta.destroyed.append(uid) }
                created[destination, default: []].append(newUID)
            case .deleted:
                delta.destroyed.append(uid)
            case .notFound, .notDone, .unknown:
                // The session did not see it (or a lost connection left it open); the next sync tells what is there.
                break
            }
        }
        let key = mirrorKey(caller, folder: folder)
        if !delta.isEmpty { mirrors.applyWrite(key, delta) }
        // Every outcome a flag change with its MODSEQ, and the complete mirror holding it (or newer).
        if let receipt = WriteReceipt.current, !outcomes.isEmpty, delta.flagUpdates.count == outcomes.count,
           mirrors.peek(key, { mirror in
               delta.flagUpdates.allSatisfy { update in
                   update.modSeq.map { modSeq in (mirror.message(update.uid)?.modSeq).map { $0 >= modSeq } ?? false } ?? false
               }
           }) == true {
            receipt.noteMirroredWithModSeq()
        }
        for (destination, uids) in created {
            mirrors.store.update(mirrorKey(caller, folder: destination)) { mirror in
                // The lowest first: nil (unknown) means "from UIDNEXT up", the strictest wait.
                for uid in uids { mirror?.awaitCreated(uid) }
            }
        }
    }

    /// After an upload's tagged OK: the folder's mirror awaits the new message (APPENDUID's
    /// UID, or any from UIDNEXT up when the server did not say).
    func mirrorAfterAppend(_ caller: Caller, folder: String, _ appended: AppendResult?) {
        guard let mirrors else { return }
        mirrors.store.update(mirrorKey(caller, folder: folder)) { mirror in
            mirror?.awaitCreated(appended?.uid, uidValidity: appended?.uidValidity)
        }
    }
}
