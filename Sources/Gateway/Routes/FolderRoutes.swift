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
        // SELECT, not EXAMINE: the summary is the folder as a client that may change it sees it
        // (readOnly and PERMANENTFLAGS are only meaningful for SELECT).
        let (state, stateToken) = try await withFolder(caller, folder.mailbox, access: .write) { session, selected -> (SelectedMailbox, String?) in
            // A reused session knows the folder as it was; NOOP brings in what changed since (and
            // a folder created anew is selected afresh).
            let now = try await session.revalidateSelection() ?? selected
            return (now, try await mirrorState(caller, folder: folder.name, session: session, selected: now, revalidated: true))
        }
        return try Self.jsonResponse(FolderStatusJSON(
            name: folder.name, href: Paths.folder(folder.name), exists: state.exists, recent: state.recent,
            uidNext: state.uidNext?.rawValue, uidValidity: try state.requireUIDValidity(),
            flags: state.flags.map(\.rawValue), permanentFlags: state.permanentFlags.map(\.rawValue),
            readOnly: state.readOnly, highestModSeq: state.highestModSeq, state: stateToken))
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
