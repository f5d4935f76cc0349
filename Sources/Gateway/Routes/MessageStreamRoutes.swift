import HTTPServer
import IMAP
import MIME
import Sockets

/// `GET .../messages/{uid}/raw` and `GET .../messages/{uid}/parts/{partId}`: streamed downloads.
///
/// The handler looks the message up (404, ETag, length) on one lease of a session; the body is
/// then written by repeated partial fetches (`BODY.PEEK[...]<offset.length>`) on a session held
/// for as long as the download runs, each chunk written before the next is fetched, so memory
/// stays at one chunk however large the message and however slow the client.
extension GatewayContext {
    func registerMessageStreamRoutes(on router: inout Router) {
        router.add(.get, "/folders/{folder}/messages/{uid}/raw", name: "getRawMessage", authenticated { [self] request, caller in
            let folder = try request.folderParameter()
            let uid = try request.uidParameter()
            let (size, uidValidity) = try await withFolder(caller, folder.mailbox, access: .read) { session, state in
                let meta = try await MessageLookup.fetch(uid, [.uid, .rfc822Size], folder: folder.name, session: session)
                return (meta.size ?? 0, try state.requireUIDValidity())
            }
            let tag = EntityTag.message(uidValidity: uidValidity, uid: uid, variant: "raw")
            if let notModified = tag.notModified(request) { return notModified }
            let download = PartialDownload(caller: caller, folder: folder, uid: uid, uidValidity: uidValidity,
                                           section: "", expectedBytes: size, context: self)
            return .stream(contentType: "message/rfc822", contentLength: size,
                           headers: ["ETag": tag.headerValue, "Cache-Control": "private, max-age=31536000, immutable"]) { writer in
                try await download.run { chunk in try await writer.write(chunk) }
            }
        })

        router.add(.get, "/folders/{folder}/messages/{uid}/parts/{partId}", name: "getMessagePart", authenticated { [self] request, caller in
            let folder = try request.folderParameter()
            let uid = try request.uidParameter()
            let partId = request.pathParameters["partId"] ?? ""
            guard partId.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ UInt32($0).map { $0 > 0 } ?? false }) else {
                throw Problem.badParameter("partId", "A part id is a section number such as 2 or 1.3, not '\(partId)'.")
            }
            let (part, uidValidity) = try await withFolder(caller, folder.mailbox, access: .read) { session, state in
                let meta = try await MessageLookup.fetch(uid, [.uid, .bodyStructure], folder: folder.name, session: session)
                guard let part = meta.bodyStructure?.part(withID: partId) else {
                    throw Problem.notFound("The message with UID \(uid) has no part '\(partId)'.")
                }
                return (part, try state.requireUIDValidity())
            }
            let tag = EntityTag.message(uidValidity: uidValidity, uid: uid, variant: "part-" + partId)
            if let notModified = tag.notModified(request) { return notModified }
            let encoding = ContentTransferEncoding(headerValue: part.encoding)
            // Identity encodings keep their length; decoded base64/QP is only known once sent.
            let identity = encoding != .base64 && encoding != .quotedPrintable
            let download = PartialDownload(caller: caller, folder: folder, uid: uid, uidValidity: uidValidity,
                                           section: partId, expectedBytes: identity ? part.size : nil, context: self)
            let disposition = HTTPContentDisposition.value(disposition: part.disposition?.kind ?? "attachment",
                                                           filename: part.filename)
            return .stream(contentType: part.mediaType, contentLength: identity && part.size >= 0 ? part.size : nil,
                           headers: ["ETag": tag.headerValue, "Content-Disposition": disposition,
                                     "Cache-Control": "private, max-age=31536000, immutable",
                                     "X-Content-Type-Options": "nosniff"]) { writer in
                let decoder = Protected(TransferDecoder(encoding: encoding))
                try await download.run { chunk in try await writer.write(decoder.withLock { $0.decode(chunk) }) }
                try await writer.write(decoder.withLock { $0.finish() })
            }
        })
    }
}
