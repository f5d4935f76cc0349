import HTTPServer
import IMAP
import MIME
import Sockets

/// `GET .../messages/{uid}/raw` and `GET .../messages/{uid}/parts/{partId}`: streamed downloads.
///
/// The handler looks the message up (404, ETag, length) on a session it then holds until the
/// body is complete (`HeldDownload`): the body is written by repeated partial fetches
/// (`BODY.PEEK[...]<offset.length>`) on that same session, each chunk written before the next is
/// fetched, so memory stays at one chunk however large the message and however slow the client,
/// and no 200 is ever promised on a session not yet obtained.
extension GatewayContext {
    func registerMessageStreamRoutes(on router: inout Router) {
        router.add(.get, "/folders/{folder}/messages/{uid}/raw", name: "getRawMessage", authenticated { [self] request, caller in
            let folder = try request.folderParameter()
            let uid = try request.uidParameter()
            let chunkSize = configuration.streamChunkBytes
            let ((size, uidValidity), held) = try await HeldDownload.open(self, caller, folder.mailbox, lookup: { session, state in
                let meta = try await MessageLookup.fetch(uid, [.uid, .rfc822Size], folder: folder.name, session: session)
                return (meta.size ?? 0, try state.requireUIDValidity())
            }, then: { lookup in
                let download = PartialDownload(folder: folder, uid: uid, uidValidity: lookup.1, section: "",
                                               expectedBytes: lookup.0, chunkSize: chunkSize)
                return { session, state, deliver in try await download.stream(session: session, state: state, deliver: deliver) }
            })
            let tag = EntityTag.message(uidValidity: uidValidity, uid: uid, variant: "raw")
            if let notModified = tag.notModified(request) {
                held.abandon()
                return notModified
            }
            // HEAD never runs the stream: give the session back now.
            if request.method == .head { held.abandon() }
            return .stream(contentType: "message/rfc822", contentLength: size,
                           headers: ["ETag": tag.headerValue, "Cache-Control": "private, max-age=31536000, immutable"]) { writer in
                try await held.run { chunk in try await writer.write(chunk) }
            }
        })

        router.add(.get, "/folders/{folder}/messages/{uid}/parts/{partId}", name: "getMessagePart", authenticated { [self] request, caller in
            let folder = try request.folderParameter()
            let uid = try request.uidParameter()
            let partId = request.pathParameters["partId"] ?? ""
            guard partId.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ UInt32($0).map { $0 > 0 } ?? false }) else {
                throw Problem.badParameter("partId", "A part id is a section number such as 2 or 1.3, not '\(partId)'.")
            }
            let chunkSize = configuration.streamChunkBytes
            let fullMessageLimit = configuration.fullMessageFetchLimit
            let ((part, uidValidity, start), held) = try await HeldDownload.open(self, caller, folder.mailbox, lookup: { session, state in
                let meta = try await MessageLookup.fetch(uid, [.uid, .bodyStructure], folder: folder.name, session: session)
                guard let part = meta.bodyStructure?.part(withID: partId) else {
                    throw Problem.notFound("The message with UID \(uid) has no part '\(partId)'.")
                }
                // Read before the head: a server whose part answer contradicts its structure is
                // caught while the length can still follow the bytes actually sent.
                let start = try await SectionStart.read(partId, uid: uid, structureSize: part.size, messageLimit: fullMessageLimit,
                                                        folder: folder.name, session: session)
                return (part, try state.requireUIDValidity(), start)
            }, then: { lookup in
                let encoding = ContentTransferEncoding(headerValue: lookup.0.encoding)
                let identity = encoding != .base64 && encoding != .quotedPrintable
                let length = lookup.2.isWhole ? lookup.2.bytes.count : lookup.0.size
                let download = PartialDownload(folder: folder, uid: uid, uidValidity: lookup.1, section: partId,
                                               expectedBytes: identity ? length : nil, chunkSize: chunkSize, head: lookup.2)
                return { session, state, deliver in try await download.stream(session: session, state: state, deliver: deliver) }
            })
            let tag = EntityTag.message(uidValidity: uidValidity, uid: uid, variant: "part-" + partId)
            if let notModified = tag.notModified(request) {
                held.abandon()
                return notModified
            }
            if request.method == .head { held.abandon() }
            let encoding = ContentTransferEncoding(headerValue: part.encoding)
            // Identity encodings keep their length; decoded base64/QP is only known once sent.
            let identity = encoding != .base64 && encoding != .quotedPrintable
            let disposition = HTTPContentDisposition.value(disposition: part.disposition?.kind ?? "attachment",
                                                           filename: part.filename)
            let length = start.isWhole ? start.bytes.count : part.size
            return .stream(contentType: part.mediaType, contentLength: identity && length >= 0 ? length : nil,
                           headers: ["ETag": tag.headerValue, "Content-Disposition": disposition,
                                     "Cache-Control": "private, max-age=31536000, immutable",
                                     "X-Content-Type-Options": "nosniff"]) { writer in
                let decoder = Protected(TransferDecoder(encoding: encoding))
                try await held.run { chunk in try await writer.write(decoder.withLock { $0.decode(chunk) }) }
                try await writer.write(decoder.withLock { $0.finish() })
            }
        })
    }
}
