import Foundation
import HTTPServer
import IMAP
import IMAPClient

/// `POST /folders/{folder}/messages`: APPEND a raw message, streamed from the request body.
extension GatewayContext {
    func registerUploadRoutes(on router: inout Router) {
        router.add(.post, "/folders/{folder}/messages", name: "uploadMessage", authenticated(uploadMessage))
    }

    private func uploadMessage(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        let mediaType = request.headers["Content-Type"]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "message/rfc822" else {
            throw Problem.make(415, "unsupported-media-type", title: "Unsupported media type",
                               detail: "Upload a raw RFC 5322 message with Content-Type: message/rfc822.")
        }
        // APPEND announces the size before the first byte, so the body streams straight through
        // only when its length is known; a chunked upload would have to be held whole.
        guard let size = request.body.contentLength else {
            throw Problem.make(411, "length-required", title: "Length required",
                               detail: "Send the message with Content-Length; chunked uploads are not accepted.")
        }
        guard size > 0 else { throw Problem.badBody("The message is empty.") }
        guard size <= configuration.maxUploadBytes else {
            throw Problem.make(413, "content-too-large", title: "Content too large",
                               detail: "Messages are limited to \(configuration.maxUploadBytes) bytes.",
                               extensions: ["limit": .int(configuration.maxUploadBytes)])
        }
        let flags = try FlagNames.parse(
            (request.query["flags"] ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
        let date = try Self.appendDate(request.query["receivedAt"])
        let body = request.body
        let appended: AppendResult?
        do {
            appended = try await withSession(caller, access: .write) { session in
                try await session.append(to: folder.mailbox, flags: flags, date: date, size: size, body: body)
            }
        } catch {
            // An upload the client cut short (or let stall) fails the APPEND too; that is the
            // client's doing (400/408), not an IMAP server answering garbage.
            if let failure = body.failure { throw failure }
            throw error
        }
        mirrorAfterAppend(caller, folder: folder.name, appended)
        var headers = HTTPHeaders()
        var href: String?
        if let appended {
            href = Paths.message(folder.name, uid: appended.uid.rawValue)
            headers.set("Location", href!)
        }
        return .json(UploadResultJSON(uid: appended?.uid.rawValue, folder: folder.name,
                                      uidValidity: appended?.uidValidity, href: href),
                     status: 201, headers: headers)
    }

    /// `receivedAt` as an IMAP date-time, nil when absent, 400 when not RFC 3339.
    private static func appendDate(_ receivedAt: String?) throws(HTTPError) -> String? {
        guard let receivedAt else { return nil }
        guard let converted = IMAPDateTime.fromRFC3339(receivedAt) else {
            throw Problem.badParameter("receivedAt", "receivedAt must be an RFC 3339 time such as 2024-01-31T09:30:00+01:00.")
        }
        return converted
    }
}

/// `{"uid": 42, "folder": "INBOX", "uidValidity": 1795828905, "href": "..."}`.
struct UploadResultJSON: Encodable {
    @ExplicitNull var uid: UInt32?
    var folder: String
    var uidValidity: UInt32?
    var href: String?
}
