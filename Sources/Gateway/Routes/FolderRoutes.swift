import Foundation
import HTTPServer
import IMAP
import IMAPClient

/// `GET /folders` and `GET /folders/{folder}`.
extension GatewayContext {
    func registerFolderRoutes(on router: inout Router) {
        router.add(.get, "/folders", name: "listFolders", authenticated(listFolders))

        router.add(.get, "/folders/{folder}", name: "getFolder", authenticated(getFolder))
    }

    private func listFolders(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let withStatus = try request.booleanQuery("status")
        let subscribedOnly = try request.booleanQuery("subscribed")
        let listings = try await withSession(caller, access: .read) { session in
            try await session.listFolders(subscribedOnly: subscribedOnly, includeStatus: withStatus)
        }
        let body = try Self.encodeJSON(FolderListJSON(folders: listings.map(FolderJSON.init)))
        let tag = EntityTag.digest(of: body)
        if let notModified = tag.notModified(request) { return notModified }
        return .json(bytes: body, headers: ["ETag": tag.headerValue, "Cache-Control": "private, no-cache"])
    }

    private func getFolder(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        if let watched = try watchedFolderStatus(request, caller, folder: folder.name) { return try Self.jsonResponse(watched) }
        // SELECT, not EXAMINE: the summary is the folder as a client that may change it sees it
        // (readOnly and PERMANENTFLAGS are only meaningful for SELECT).
        let (state, stateToken) = try await withFolder(caller, folder.mailbox, access: .write) { session, selected -> (SelectedMailbox, String?) in
            // A reused session knows the folder as it was; NOOP brings in what changed since (and
            // a folder created anew is selected afresh).
            var now = try await session.revalidateSelection() ?? selected
            // CONDSTORE without QRESYNC: the new HIGHESTMODSEQ after an expunge or an append is
            // not announced; STATUS of the folder tells it (only then: one more command).
            if now.highestModSeqUnannounced { now = try await session.refreshHighestModSeq() ?? now }
            return (now, try await mirrorState(caller, folder: folder.name, session: session, selected: now, revalidated: true))
        }
        if stateToken != nil, let watchers {
            noteMirroredRead(caller, folder: folder)
            watchers.recordFolderStatus(mirrorKey(caller, folder: folder.name), state)
        }
        return try Self.jsonResponse(FolderStatusJSON(
            name: folder.name, href: Paths.folder(folder.name), exists: state.exists, recent: state.recent,
            uidNext: state.uidNext?.rawValue, uidValidity: try state.requireUIDValidity(),
            flags: state.flags.map(\.rawValue), permanentFlags: state.permanentFlags.map(\.rawValue),
            readOnly: state.readOnly, highestModSeq: state.highestModSeq, state: stateToken))
    }

    /// `GET /folders/{folder}` of a watched folder without IMAP: the counts and identifiers from
    /// the mirror, the flags, PERMANENTFLAGS and read-only status from the last SELECT of this
    /// route (they change only when the server's configuration does). `recent` is 0: `\Recent`
    /// belongs to one IMAP session, which a mirror is not.
    private func watchedFolderStatus(_ request: HTTPRequest, _ caller: Caller, folder: String) throws -> FolderStatusJSON? {
        // Without QRESYNC the mirror's HIGHESTMODSEQ may lag the server's (FolderWatchers.serverSyncsByQResync).
        guard let watchers, watchers.serverSyncsByQResync == true,
              let status = watchers.folderStatus(mirrorKey(caller, folder: folder)) else { return nil }
        return try watchedMirror(request, caller, folder: folder) { mirror -> FolderStatusJSON? in
            guard status.uidValidity == mirror.uidValidity else { return nil }
            // HIGHESTMODSEQ as the sync last heard it, or a message's MODSEQ seen since.
            let modSeq = [mirror.highestModSeq, mirror.messages.lazy.compactMap(\.modSeq).max()].compactMap { $0 }.max()
            return FolderStatusJSON(
                name: folder, href: Paths.folder(folder), exists: mirror.messages.count, recent: 0,
                uidNext: mirror.uidNext.rawValue, uidValidity: mirror.uidValidity,
                flags: status.flags.map(\.rawValue), permanentFlags: status.permanentFlags.map(\.rawValue),
                readOnly: status.readOnly, highestModSeq: mirror.highestModSeq == nil ? nil : modSeq, state: mirror.state.description)
        } ?? nil
    }

    /// JSON bytes with sorted keys: the same value always gives the same bytes (and so the
    /// same ETag), across restarts too, and members read in a predictable order.
    static func encodeJSON(_ value: some Encodable) throws -> [UInt8] {
        if let writable = value as? any JSONWritable { return writable.jsonBytes }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return Array(try encoder.encode(value))
    }

    /// `value` as `application/json`, encoded by `encodeJSON`.
    static func jsonResponse(_ value: some Encodable, headers: HTTPHeaders = HTTPHeaders()) throws -> HTTPResponse {
        .json(bytes: try encodeJSON(value), headers: headers)
    }
}
