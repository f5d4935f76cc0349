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
}
