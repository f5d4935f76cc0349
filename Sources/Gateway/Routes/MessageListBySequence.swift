import IMAP
import IMAPClient

/// A listing page without a search, read by sequence number (`SequenceWindow`): one FETCH for the
/// first page, a UID FETCH of the cursor's message and one FETCH for the others, whatever the
/// folder's size. `UID SEARCH ALL` costs the whole folder, so it only answers what this cannot.
extension GatewayContext {
    /// One page read by sequence number.
    struct SequencePage {
        var uids: [UID]
        var responses: [UID: FetchResponse]
        var total: Int
        var hasMore: Bool
    }

    /// The page `request` asks for, or nil when the caller should list by `UID SEARCH` instead:
    /// the folder looked empty, the cursor's message is gone, the server refused the window, or
    /// the answer does not add up (twice, for a cursor page).
    /// - Throws: `PageRequestError.uidValidityChanged` (409) for a cursor of another UIDVALIDITY;
    ///   lost connections and timeouts as `IMAPError`.
    static func pageBySequence(_ request: PageRequest, fields: [FetchItem], state: SelectedMailbox,
                               session: any MailSession) async throws -> SequencePage? {
        var uidValidity = try state.requireUIDValidity()
        if let cursor = request.cursor, cursor.uidValidity != uidValidity {
            // The cursor may come from the folder created anew since this session selected it (a
            // page read on a session that noticed): check the view before calling the cursor old.
            if let now = try await session.revalidateSelection() { uidValidity = try now.requireUIDValidity() }
            if cursor.uidValidity != uidValidity {
                throw PageRequestError.uidValidityChanged(cursor: cursor.uidValidity, folder: uidValidity)
            }
        }
        guard let cursor = request.cursor else {
            // FETCH may not report expunges (RFC 3501 §7.4.1): a pooled session that only ever
            // served first pages would keep listing messages deleted elsewhere, and count them.
            // NOOP brings the EXPUNGEs and new EXISTS first; it costs a round trip, not the folder.
            // A folder deleted and created anew shows only as the server's doubt during the NOOP:
            // then the folder is selected afresh (the caller reads the new UIDVALIDITY from the
            // session).
            guard let exists = try await session.revalidateSelection()?.exists else { return nil }
            return try await firstPageBySequence(request, fields: fields, exists: exists, session: session)
        }
        // UID FETCH may report expunges after its answer for the anchor: the window includes the
        // anchor so that the cut can tell whether it still stands where it was found. If it moved,
        // those expunges have been applied by now and a second UID FETCH finds it where it is.
        let bound = UID(cursor.lastUID)
        for _ in 1...2 {
            let found = try await session.uidFetch(UIDSet([bound]), [.uid]).first { $0.uid == bound }
            guard let found, let exists = await session.selectedFolder()?.exists else { return nil }
            let anchor = SequenceWindow.Anchor(sequenceNumber: found.sequenceNumber, uid: bound)
            switch SequenceWindow.after(anchor, order: request.order, limit: request.limit, exists: exists) {
            case .window(let window):
                if let read = try await read(window, request, fields: fields, session: session) { return read.page }
            case .nothing:
                return SequencePage(uids: [], responses: [:], total: exists, hasMore: false)
            case .unknown:
                continue
            }
        }
        return nil
    }

    private static func firstPageBySequence(_ request: PageRequest, fields: [FetchItem], exists: Int,
                                            session: any MailSession) async throws -> SequencePage? {
        guard let window = SequenceWindow.firstPage(order: request.order, limit: request.limit, exists: exists),
              let first = try await read(window, request, fields: fields, session: session)
        else { return nil }
        // Mail that arrived since the session last heard from the server is announced (EXISTS)
        // at the end of the FETCH, after `*` was resolved: read the newest page once more so it
        // shows that mail, as `total` does.
        guard request.order == .newest, first.highest < first.page.total else { return first.page }
        guard let again = SequenceWindow.firstPage(order: .newest, limit: request.limit, exists: first.page.total) else { return nil }
        return try await read(again, request, fields: fields, session: session)?.page
    }

    /// FETCHes `window` and cuts the page; nil when the server refused it or it does not add up.
    private static func read(_ window: SequenceWindow, _ request: PageRequest, fields: [FetchItem],
                             session: any MailSession) async throws -> (page: SequencePage, highest: Int)? {
        let responses: [FetchResponse]
        do {
            responses = try await session.fetch(window.set, fields)
        } catch {
            // NO (messages expunged meanwhile) or BAD (a number past the end): UID SEARCH knows better.
            switch error {
            case .no, .bad: return nil
            default: throw error
            }
        }
        guard let exists = await session.selectedFolder()?.exists else { return nil }
        var fetched: [SequenceWindow.Fetched] = []
        var byUID: [UID: FetchResponse] = [:]
        for response in responses {
            guard let uid = response.uid else { return nil }
            fetched.append(SequenceWindow.Fetched(sequenceNumber: response.sequenceNumber, uid: uid))
            byUID[uid] = response
        }
        guard case .page(let uids, let hasMore) = window.cut(fetched, order: request.order, limit: request.limit, exists: exists)
        else { return nil }
        // A message expunged by another session but not yet reported to this one keeps its
        // number, and the server may answer it with the UID alone.
        guard uids.allSatisfy({ byUID[$0].map { $0.carries(fields) } ?? false }) else { return nil }
        let highest = fetched.map { Int($0.sequenceNumber.rawValue) }.max() ?? 0
        return (SequencePage(uids: uids, responses: byUID, total: exists, hasMore: hasMore), highest)
    }
}

extension FetchResponse {
    /// Whether the response holds an item for each of `fields` (an unparseable structure counts).
    func carries(_ fields: [FetchItem]) -> Bool {
        let items = items
        return fields.allSatisfy { field in
            switch field {
            case .uid: items.uid != nil
            case .flags: items.flags != nil
            case .envelope: items.envelope != nil
            case .bodyStructure: items.bodyStructure != nil || items.hasUnparseableBodyStructure
            case .rfc822Size: items.size != nil
            case .internalDate: items.internalDate != nil
            case .modSeq: items.modSeq != nil
            case .bodyPeek(let section, _): hasBodyItem(section)
            // Gmail's items are a row's extras: one Gmail did not send (or sent unreadably) does
            // not make the row incomplete.
            case .gmailLabels, .gmailThreadID, .gmailMessageID: true
            // Never asked for in a page: no answer can carry them.
            case .preview, .headerFields: false
            }
        }
    }

    /// Whether a `BODY[section]` item is there; one the server answered with NIL counts.
    private func hasBodyItem(_ section: String) -> Bool {
        attributes.contains { attribute in
            if case .body(let name, _, _) = attribute { name.uppercased() == section.uppercased() } else { false }
        }
    }
}
