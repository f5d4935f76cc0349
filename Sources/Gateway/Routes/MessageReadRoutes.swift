import HTTPServer
import IMAP
import IMAPClient
import MIME

/// `GET /folders/{folder}/messages/{uid}`: one message, parsed.
///
/// Messages up to `fullMessageFetchLimit` are fetched whole and parsed; larger ones only by
/// their header and text parts (found through BODYSTRUCTURE), with attachments listed from the
/// structure and `truncated: true`, so a 200 MB mail does not take 200 MB of memory.
extension GatewayContext {
    func registerMessageReadRoutes(on router: inout Router) {
        router.add(.get, "/folders/{folder}/messages/{uid}", name: "getMessage", authenticated(getMessage))
    }

    private func getMessage(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        let uid = try request.uidParameter()
        let outcome = try await withFolder(caller, folder.mailbox, access: .read) { [self] session, state in
            try await readMessage(uid, in: folder, state: state, session: session, caller: caller, request: request)
        }
        switch outcome {
        case .notModified(let tag):
            return HTTPResponse(status: 304, headers: ["ETag": tag.headerValue])
        case .fresh(let message, let tag):
            return try Self.jsonResponse(message, headers: ["ETag": tag.headerValue, "Cache-Control": "private, no-cache"])
        }
    }

    /// The message as JSON, or word that the client's copy (`If-None-Match`) is current.
    private func readMessage(_ uid: UID, in folder: (name: String, mailbox: MailboxName), state: SelectedMailbox,
                             session: any MailSession, caller: Caller,
                             request: HTTPRequest) async throws -> ConditionalOutcome<MessageJSON> {
        // Flags, size and structure every time (flags change); the body only when not cached.
        let gmailItems = await GmailFields.readItems(session: session)
        let meta = try await MessageLookup.fetch(uid, [.uid, .flags, .rfc822Size, .internalDate, .bodyStructure] + gmailItems,
                                                 folder: folder.name, session: session)
        let flags = (meta.flags ?? []).map(\.rawValue)
        // Only where X-GM-EXT-1 is offered (and so asked for), whatever else a server sends.
        let gmail = gmailItems.isEmpty ? nil : GmailJSON(meta.items)
        // Flags (and Gmail labels) change while the content does not: they are part of this
        // representation's tag.
        let uidValidity = try state.requireUIDValidity()
        let changing = flags.joined(separator: " ") + (gmail.map { "\u{0}" + $0.labels.joined(separator: "\u{0}") } ?? "")
        let tag = EntityTag.message(uidValidity: uidValidity, uid: uid,
                                    variant: "json-" + String(SHA256Digest(of: Array(changing.utf8)).hex.prefix(12)))
        if tag.matches(ifNoneMatch: request) { return .notModified(tag) }
        var message: MessageJSON
        if let size = meta.size, size > configuration.fullMessageFetchLimit, let structure = meta.bodyStructure {
            message = try await LargeMessage.read(uid, structure: structure, session: session)
        } else {
            let key = MessageBodyCache.Key(account: caller.account.key, folder: folder.mailbox.wireBytes,
                                           uidValidity: uidValidity, uid: uid)
            let raw: [UInt8]
            if let cached = bodyCache.bytes(for: key) {
                raw = cached
            } else {
                let whole = try await MessageLookup.fetch(uid, [.uid, .bodyPeek(section: "", partial: nil)],
                                                          folder: folder.name, session: session)
                raw = whole.body(section: "") ?? []
                bodyCache.store(raw, for: key)
            }
            message = MessageJSON(MIMEMessage.parse(raw), uid: uid)
        }
        message.summary.flags = flags
        message.summary.size = meta.size
        message.summary.receivedAt = meta.internalDate.flatMap(InternalDate.rfc3339)
        if let structure = meta.bodyStructure { message.summary.hasAttachment = structure.hasAttachment }
        message.summary.gmail = gmail
        for index in message.attachments.indices {
            message.attachments[index].href = Paths.part(folder.name, uid: uid.rawValue, partId: message.attachments[index].partId)
        }
        return .fresh(message, tag)
    }
}

/// A representation, or word that the client's copy is current.
enum ConditionalOutcome<Value: Sendable>: Sendable {
    case notModified(EntityTag)
    case fresh(Value, EntityTag)
}

/// Fetching one message by UID, 404 when it is not there.
enum MessageLookup {
    static func fetch(_ uid: UID, _ fields: [FetchItem], folder: String, session: any MailSession) async throws -> FetchResponse {
        let responses = try await session.uidFetch(UIDSet([uid]), fields)
        // Servers may send unsolicited FETCHes (flag changes) for other messages: pick ours.
        guard let response = responses.first(where: { $0.uid == uid }) else {
            throw Problem.notFound("There is no message with UID \(uid) in the folder '\(folder)'.")
        }
        return response
    }
}

extension MessageJSON {
    /// A full message from its parsed MIME form; `href`s are filled in by the route.
    init(_ mime: MIMEMessage, uid: UID) {
        var summary = MessageSummaryJSON(uid: uid.rawValue)
        summary.messageId = mime.messageId
        summary.subject = mime.subject
        summary.from = mime.from.map(AddressJSON.init)
        summary.to = mime.to.map(AddressJSON.init)
        summary.cc = mime.cc.map(AddressJSON.init)
        summary.replyTo = mime.replyTo.map(AddressJSON.init)
        summary.inReplyTo = mime.inReplyTo
        summary.sentAt = mime.date?.rfc3339
        summary.hasAttachment = mime.hasAttachment
        summary.preview = mime.preview
        summary.decodingProblems = mime.decodingProblems
        self.init(summary: summary)
        bcc = mime.bcc.map(AddressJSON.init)
        sender = mime.sender.map(AddressJSON.init)
        references = mime.references
        headers = mime.headers.map { HeaderJSON(name: $0.name, value: $0.value) }
        textBody = mime.textBody
        htmlBody = mime.htmlBody
        attachments = mime.attachments.map {
            AttachmentJSON(partId: $0.partId, filename: $0.filename, contentType: $0.contentType, size: $0.size,
                           disposition: $0.disposition, contentId: $0.contentId, href: "")
        }
    }
}
