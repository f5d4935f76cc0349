import HTTPServer
import IMAP
import IMAPClient

/// The routes' way to the folder mirrors: a page, a state, changes.
extension GatewayContext {
    /// The mirror key of `caller`'s `folder`. Keyed by the IMAP user: a mirror is only ever read
    /// after a session logged in with the caller's own credentials has selected the folder.
    func mirrorKey(_ caller: Caller, folder: String) -> MirrorKey {
        MirrorKey(account: caller.account.key.user, folder: folder)
    }

    /// A list page cut from the mirror after revalidating it on `session`; nil when the mirror is
    /// off, the fields need more than it holds (`preview`) or the folder is not mirrored now.
    func mirrorPage(_ caller: Caller, folder: String, _ request: PageRequest, fields: Set<SummaryField>,
                    session: any MailSession, selected: SelectedMailbox) async throws -> MessageListJSON? {
        guard let mirrors, fields.isSubset(of: SummaryField.defaults) else { return nil }
        return try await mirrors.withCurrentMirror(mirrorKey(caller, folder: folder), session: session, selected: selected) { mirror in
            try Self.page(of: mirror, folder: folder, request, fields: fields)
        }
    }

    /// A list page of a watched folder, from its mirror without IMAP; nil when `watchedMirror`
    /// is nil or the fields need more than the mirror holds.
    func watchedMirrorPage(_ request: HTTPRequest, _ caller: Caller, folder: String, _ page: PageRequest,
                           fields: Set<SummaryField>) throws -> MessageListJSON? {
        // On Gmail the rows gain `gmail` (GmailFields), which a mirror does not hold.
        guard fields.isSubset(of: SummaryField.defaults), watchers?.serverOffersGmail == false else { return nil }
        return try watchedMirror(request, caller, folder: folder) { mirror in
            try Self.page(of: mirror, folder: folder, page, fields: fields)
        }
    }

    /// One list page cut from `mirror`.
    static func page(of mirror: FolderMirror, folder: String, _ request: PageRequest, fields: Set<SummaryField>) throws -> MessageListJSON {
        if let cursor = request.cursor, cursor.uidValidity != mirror.uidValidity {
            throw PageRequestError.uidValidityChanged(cursor: cursor.uidValidity, folder: mirror.uidValidity)
        }
        let (rows, hasMore) = mirror.page(order: request.order, after: request.cursor?.lastUID, limit: request.limit)
        let page = Page(uids: rows.map(\.uid), total: mirror.messages.count, hasMore: hasMore,
                        uidValidity: mirror.uidValidity, order: request.order)
        let messages = rows.map { row in
            var summary = row.summary
            summary.fields = fields
            return summary
        }
        return MessageListJSON(folder: folder, uidValidity: mirror.uidValidity, total: page.total, messages: messages,
                               nextCursor: page.nextCursor?.encoded, state: mirror.state.description)
    }

    /// The folder's mirror state after revalidating on `session`; nil when there is no mirror.
    /// `revalidated`: the caller has just run `revalidateSelection()` on `session`.
    func mirrorState(_ caller: Caller, folder: String, session: any MailSession, selected: SelectedMailbox,
                     revalidated: Bool = false) async throws -> String? {
        guard let mirrors else { return nil }
        return try await mirrors.withCurrentMirror(mirrorKey(caller, folder: folder), session: session, selected: selected,
                                                   revalidated: revalidated) {
            $0.state.description
        }
    }

    // MARK: Watched folders (no IMAP round trip)

    /// Reads the mirror of a watched folder without IMAP. nil (revalidate as usual) unless the
    /// mirror is on, the request does not say `Cache-Control: no-cache`, the caller's credentials
    /// are proven (`isProvenForMirror`), the folder's watcher is in IDLE and the mirror complete.
    /// The answer is then as fresh as the server's IDLE notifications: a change reaches it once
    /// the server reported it and the watcher synced (the staleness bound in the README).
    func watchedMirror<Result>(_ request: HTTPRequest, _ caller: Caller, folder: String,
                               _ read: (FolderMirror) throws -> Result) throws -> Result? {
        guard let mirrors, let watchers, !request.wantsRevalidation, isProvenForMirror(caller) else { return nil }
        let key = mirrorKey(caller, folder: folder)
        guard watchers.isWatching(key) else { return nil }
        let result = try mirrors.store.read(key) { mirror -> Result? in mirror.isCurrentForReads ? try read(mirror) : nil } ?? nil
        if result != nil { mirrors.store.count(hit: true) }
        return result
    }

    /// Whether a mirror may be read for `caller` without a pooled session: a mirror is keyed by
    /// the IMAP user, so the caller's own credentials must have been accepted by the IMAP server
    /// lately. An OAuth token: the pool's own rule (`OwnershipProofs`, a login with this token
    /// within its lifetime). A password: a pooled session (or a watcher) logged in with this
    /// user and password hash within the same lifetime (`FolderWatchers.recordProof`), the same
    /// guarantee the pool gives when it hands a warm session to a request with that key.
    func isProvenForMirror(_ caller: Caller) -> Bool {
        if caller.account.tokenHash != nil { return authenticator.proofs.isProven(caller.account) }
        return watchers?.isProven(caller.account, within: authenticator.proofs.lifetime) ?? false
    }

    /// After a mirrored read served on a pooled session (which proved the caller's credentials):
    /// records the proof and starts the folder's watcher when it has none and the budget allows.
    func noteMirroredRead(_ caller: Caller, folder: (name: String, mailbox: MailboxName)) {
        guard let mirrors, let watchers else { return }
        watchers.recordProof(caller.account)
        watch(caller, folder: folder, mirrors: mirrors, watchers: watchers)
    }

    /// Starts (or marks used) the watcher of `caller`'s `folder`; whether the folder is watched.
    @discardableResult
    func watch(_ caller: Caller, folder: (name: String, mailbox: MailboxName), mirrors: FolderMirrors, watchers: FolderWatchers) -> Bool {
        let key = mirrorKey(caller, folder: folder.name)
        return watchers.touch(key, caller: caller) {
            // A watcher never waits for a connection nor takes one from the pool: without a free
            // slot in the account's budget the folder is simply not watched (reads revalidate).
            guard let slot = connectionBudget.tryAcquire(caller.account.user, for: .watcher) else { return nil }
            return FolderWatcher(key: key, mailbox: folder.mailbox, context: self, mirrors: mirrors, registry: watchers, slot: slot)
        }
    }
}

extension HTTPRequest {
    /// `Cache-Control: no-cache` (or `max-age=0`): the client wants the answer checked with the
    /// IMAP server, not read from a watched mirror.
    var wantsRevalidation: Bool {
        guard let value = headers["Cache-Control"]?.lowercased() else { return false }
        return value.split(separator: ",").contains { directive in
            let directive = String(directive).trimmingASCIISpaces
            return directive == "no-cache" || directive == "max-age=0"
        }
    }
}
