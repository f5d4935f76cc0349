import IMAP
import IMAPClient

extension MailSession {
    /// Brings a reused session's view of its selected folder up to date: NOOP, which makes the
    /// server report what changed since the session last heard (EXISTS, EXPUNGE, flags); and when
    /// the server said during it that it could not keep the view (`SelectedMailbox.inDoubt`: the
    /// folder was deleted and created again by another client, and Dovecot keeps showing the
    /// deleted one), SELECT/EXAMINE of the folder once more, which sees the new folder and its
    /// new UIDVALIDITY.
    ///
    /// One command when nothing is wrong; NOOP and SELECT when the folder was replaced. nil when
    /// the session has no folder selected.
    public func revalidateSelection() async throws(IMAPError) -> SelectedMailbox? {
        try await noop()
        return try await reselectIfInDoubt()
    }

    /// The selected folder, SELECTed again first when the server cast doubt on the session's
    /// view of it during an earlier command (see `revalidateSelection`).
    public func reselectIfInDoubt() async throws(IMAPError) -> SelectedMailbox? {
        guard let now = await selectedFolder() else { return nil }
        guard now.inDoubt else { return now }
        return try await select(now.name, readOnly: now.readOnly)
    }
}

extension MailSession {
    /// ENABLE QRESYNC when the server offers it (and CONDSTORE with it, RFC 7162 §3.2.3), for a
    /// session the folder mirrors will sync on: with it the revalidation of a selected folder is
    /// one `UID FETCH (CHANGEDSINCE m VANISHED)` that reports flags and expunges alike, and
    /// shows a folder created anew. One round trip per login; a refusal leaves the session as
    /// it was (CONDSTORE or the FLAGS diff then).
    public func enableQResyncIfOffered() async throws(IMAPError) {
        guard await capabilities().contains(.qresync), !(await enabledExtensions().contains(.qresync)) else { return }
        do {
            _ = try await enable([.qresync])
        } catch {
            if error.isConnectionLoss { throw error }
        }
    }
}

extension MailSession {
    /// `UID SEARCH` answered for the folder as the server has it now. Servers may answer a
    /// command from the session's view as it was before the command and bring the view up to
    /// date only after (Dovecot answers `* SEARCH 1 3 4` and then `* 5 EXISTS` for a message
    /// another client appended just before), so an answer during which the session heard of a
    /// change (`mailboxViewVersion` moved) is asked for once more, now from the new view. One
    /// command when nothing changed; no NOOP first.
    public func uidSearchCurrent(_ key: SearchKey) async throws(IMAPError) -> [UID] {
        var found: [UID] = []
        for _ in 0..<3 {
            let before = await mailboxViewVersion()
            found = try await uidSearch(key)
            guard let before, await mailboxViewVersion() != before else { return found }
        }
        return found
    }

    /// Runs `write`, one write request's IMAP commands on this session's selected folder (known
    /// as `selected`), and when the server refused it because the folder was deleted and created
    /// anew since the session selected it, selects the new folder and runs it once more there,
    /// as a freshly selected session would have.
    ///
    /// Dovecot answers a STORE or COPY on the deleted folder's view with `NO [SERVERBUG]` and
    /// changes nothing (only a NOOP shows the session the new folder: `revalidateSelection`).
    /// The extra commands are spent only then; a NO for the same folder stands. `write` must
    /// fail at its first change, as the routes' single writes do (checks are reads).
    public func retryingOnRecreatedFolder<Result>(_ selected: SelectedMailbox,
                                                  _ write: (SelectedMailbox) async throws -> Result) async throws -> Result {
        let refusal: IMAPError
        let writesBefore = await writesStarted()
        do {
            return try await write(selected)
        } catch let error as IMAPError {
            // Dovecot may end the session on a read of the deleted folder's view too ("Mailbox was
            // deleted under us"): lost before any write command was sent, nothing was written.
            if error.isConnectionLoss, let writesBefore, await writesStarted() == writesBefore {
                throw RefusedWriteSessionLost(loss: error)
            }
            guard case .no(_, let text) = error, text.code == .serverBug || text.code == .corruption else { throw error }
            refusal = error
        }
        guard let now = try await selectionAfterRefusal(), now.uidValidity != selected.uidValidity else { throw refusal }
        return try await write(now)
    }

    /// `revalidateSelection` after a refused write. Dovecot may end such a session ("IMAP
    /// session state is inconsistent, please relogin"): the write changed nothing, so the pool
    /// runs it once more on a fresh session (`RefusedWriteSessionLost`).
    private func selectionAfterRefusal() async throws -> SelectedMailbox? {
        do {
            return try await revalidateSelection()
        } catch {
            if error.isConnectionLoss { throw RefusedWriteSessionLost(loss: error) }
            throw error
        }
    }
}

/// A write that changed nothing (the server refused it, or the session was lost before any write
/// command was sent), or one that may run twice (a flag change), on a session that is gone:
/// `GatewayContext.withFolder` runs it once more on a fresh session, as it does a read.
public struct RefusedWriteSessionLost: Error, Sendable {
    /// What ended the session; the error when the write is not run again.
    public let loss: IMAPError
}

extension MailSession {
    /// The selected folder after a STATUS of it, which tells its HIGHESTMODSEQ when the server
    /// did not announce it (`SelectedMailbox.highestModSeqUnannounced`: CONDSTORE without
    /// QRESYNC). Run it before a mirror sync, never after one: the sync takes the session's
    /// HIGHESTMODSEQ as what the mirror is current to, and its command reports every change up
    /// to its own time.
    public func refreshHighestModSeq() async throws(IMAPError) -> SelectedMailbox? {
        guard let now = await selectedFolder() else { return nil }
        _ = try await status(now.name)
        return await selectedFolder()
    }
}

extension MailSession {
    public func writesStarted() async -> Int? { nil }
}
