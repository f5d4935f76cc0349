import IMAP
import IMAPClient

/// Search pages with the folder mirror: `UID SEARCH` still runs on the server (it is the truth
/// about what matches), but the rows come from the mirror. What a row shows besides the flags
/// (envelope, size, dates, structure) never changes for a UIDVALIDITY and UID, so only the
/// flags of the page's UIDs are fetched (`UID FETCH (UID FLAGS)`: a few bytes per message
/// instead of the envelope and structure). A page with a UID the mirror lacks (new mail the
/// mirror has not synced, or a part of a big folder not filled) is read as without the mirror.
extension GatewayContext {
    /// The rows of `uids` (a search page, in that order) with the envelope and structure from
    /// the mirror and fresh flags from `session`, which has the folder selected as `uidValidity`;
    /// nil when the mirror cannot serve them (off, another UIDVALIDITY, a field it lacks, a UID
    /// it does not hold). UIDs expunged meanwhile (no FETCH answer) are left out.
    func mirrorSearchRows(_ caller: Caller, folder: String, uids: [UID], fields: Set<SummaryField>, uidValidity: UIDValidity,
                          session: any MailSession) async throws -> [MessageSummaryJSON]? {
        guard let mirrors, !uids.isEmpty, fields.isSubset(of: SummaryField.defaults) else { return nil }
        let key = mirrorKey(caller, folder: folder)
        let rows: [UID: MessageSummaryJSON]? = mirrors.store.read(key) { mirror in
            guard mirror.uidValidity == uidValidity else { return nil }
            var rows: [UID: MessageSummaryJSON] = [:]
            for uid in uids {
                guard let row = mirror.message(uid) else { return nil }
                rows[uid] = row.summary
            }
            return rows
        } ?? nil
        guard let rows else {
            mirrors.store.count(hit: false)
            return nil
        }
        var flags: [UID: [String]] = [:]
        for response in try await session.uidFetch(UIDSet(uids).compacted(), [.uid, .flags]) {
            if let uid = response.uid, let fetched = response.flags { flags[uid] = fetched.map(\.rawValue) }
        }
        mirrors.store.count(hit: true)
        return uids.compactMap { uid in
            guard var row = rows[uid], let current = flags[uid] else { return nil }
            row.flags = current
            row.fields = fields
            return row
        }
    }
}
