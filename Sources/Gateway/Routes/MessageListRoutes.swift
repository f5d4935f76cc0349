import HTTPServer
import IMAP
import MIME

/// `GET /folders/{folder}/messages`: list or search, one page at a time.
///
/// Without a search, a page is read by sequence number (MessageListBySequence.swift): its cost
/// is the page's, whatever the folder's size. With one, or when that cannot answer, one UID
/// SEARCH gives every match (the total, and where the cursor stands) and only the page's UIDs are
/// fetched, so the page costs the list of matching UIDs plus the page.
extension GatewayContext {
    func registerMessageListRoutes(on router: inout Router) {
        router.add(.get, "/folders/{folder}/messages", name: "listMessages", authenticated(listMessages))
    }

    private func listMessages(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        let pageRequest = try PageRequest.parse(limit: request.query["limit"], order: request.query["order"],
                                                cursor: request.query["cursor"])
        let search = request.query["search"].map { $0.trimmingASCIISpaces } ?? ""
        let key = search.isEmpty ? SearchKey.all : try SearchQuery.parse(search)
        let askedFields: Set<SummaryField>
        do throws(SummaryField.UnknownField) { askedFields = try SummaryField.parse(request.query["fields"]) } catch {
            throw Problem.badParameter("fields", "Unknown field '\(error.name)'; known: \(SummaryField.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        // A watched folder's page comes from its mirror without IMAP (GatewayContext+Mirror.swift).
        if search.isEmpty, let watched = try watchedMirrorPage(request, caller, folder: folder.name, pageRequest, fields: askedFields) {
            return try Self.listResponse(watched, request)
        }
        let list = try await withFolder(caller, folder.mailbox, access: .read) { session, state in
            let fields = try await GmailFields.fields(askedFields, explicit: request.query["fields"] != nil,
                                                      search: key, session: session)
            if search.isEmpty, let mirrored = try await mirrorPage(
                caller, folder: folder.name, pageRequest, fields: fields, session: session, selected: state) {
                return mirrored
            }
            let page: Page
            let messages: [MessageSummaryJSON]
            let window = search.isEmpty
                ? try await Self.pageBySequence(pageRequest, fields: SummaryField.fetchItems(for: fields), state: state, session: session)
                : nil
            // Read after the page: the session may have selected a folder created anew meanwhile.
            let uidValidity = try (await session.selectedFolder() ?? state).requireUIDValidity()
            if let window {
                page = Page(uids: window.uids, total: window.total, hasMore: window.hasMore,
                            uidValidity: uidValidity, order: pageRequest.order)
                messages = try await Self.summaries(of: page.uids, responses: window.responses, fields: fields, session: session)
            } else {
                // Searched again when the session heard of a change during it (a message appended a
                // moment ago by another client): `uidSearchCurrent`.
                page = try pageRequest.page(of: try await session.uidSearchCurrent(key), uidValidity: uidValidity)
                // With the mirror, the rows come from it and only their flags from IMAP.
                if let rows = try await mirrorSearchRows(caller, folder: folder.name, uids: page.uids, fields: fields,
                                                         uidValidity: uidValidity, session: session) {
                    messages = rows
                } else {
                    messages = try await Self.summaries(of: page.uids, fields: fields, session: session)
                }
            }
            return MessageListJSON(folder: folder.name, uidValidity: uidValidity, total: page.total,
                                   messages: messages, nextCursor: page.nextCursor?.encoded)
        }
        if search.isEmpty { noteMirroredRead(caller, folder: folder) }
        return try Self.listResponse(list, request)
    }

    /// A page as JSON; a mirrored one with its state in the ETag (304 when the client has it).
    private static func listResponse(_ list: MessageListJSON, _ request: HTTPRequest) throws -> HTTPResponse {
        if let state = list.state {
            // The page is a function of the folder's state and the query: both make the tag.
            let tag = EntityTag(opaque: state + "-" + String(CRC32.checksum(request.target.utf8), radix: 16))
            if let notModified = tag.notModified(request) { return notModified }
            return try jsonResponse(list, headers: ["ETag": tag.headerValue, "Cache-Control": "private, no-cache"])
        }
        return try jsonResponse(list)
    }

    /// Summaries of `uids` in that order; UIDs expunged meanwhile are left out.
    static func summaries(of uids: [UID], fields: Set<SummaryField>, session: any MailSession) async throws -> [MessageSummaryJSON] {
        guard !uids.isEmpty else { return [] }
        let responses = try await session.uidFetch(UIDSet(uids).compacted(), SummaryField.fetchItems(for: fields))
        var byUID: [UID: FetchResponse] = [:]
        for response in responses {
            if let uid = response.uid { byUID[uid] = response }
        }
        return try await summaries(of: uids, responses: byUID, fields: fields, session: session)
    }

    /// Summaries of `uids` in that order from their FETCH responses; UIDs without one are left out.
    static func summaries(of uids: [UID], responses byUID: [UID: FetchResponse], fields: Set<SummaryField>,
                          session: any MailSession) async throws -> [MessageSummaryJSON] {
        var summaries = uids.compactMap { uid in byUID[uid].map { MessageSummaryJSON($0, uid: uid, fields: fields) } }
        if fields.contains(.preview) {
            let previews = try await Previews.fetch(for: uids.compactMap { uid in byUID[uid].map { (uid, $0) } }, session: session)
            for index in summaries.indices { summaries[index].preview = previews[UID(summaries[index].uid)] ?? "" }
        }
        return summaries
    }
}
