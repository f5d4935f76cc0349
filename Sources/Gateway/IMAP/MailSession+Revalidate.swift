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
