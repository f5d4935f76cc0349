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
        let outcome: ConditionalOutcome<MessageJSON>
        if let watched = try watchedRead(uid, in: folder, caller: caller, request: request) {
            outcome = watched
        } else {
            outcome = try await withFolder(caller, folder.mailbox, access: .read) { [self] session, state in
                try await readMessage(uid, in: folder, state: state, session: session, caller: caller, request: request)
            }
        }
        switch outcome {
        case .notModified(let tag):
            return HTTPResponse(status: 304, headers: ["ETag": tag.headerValue])
        case .fresh(let message, let tag):
            return try Self.jsonResponse(message, headers: ["ETag": tag.headerValue, "Cache-Control": "private, no-cache"])
        }
    }

    /// The message of a watched folder without IMAP: flags, size, INTERNALDATE and attachment
    /// flag from the mirror row, the bytes from `bodyCache`; the same JSON and tag as `readMessage`.
    /// nil (ask IMAP) when the folder is not watched, the mirror does not know the UID yet, the
    /// message is too large to parse whole, or its bytes are not cached; a UID below the mirror's
    /// UIDNEXT that it does not hold is gone (404).
    private func watchedRead(_ uid: UID, in folder: (name: String, mailbox: MailboxName), caller: Caller,
                             request: HTTPRequest) throws -> ConditionalOutcome<MessageJSON>? {
        switch try watchedMessage(request, caller, folder: folder.name, uid: uid) {
        case nil, .unknown?:
            return nil
        case .gone?:
            throw Problem.notFound(MessageLookup.noMessage(uid, folder: folder.name))
        case .row(let row, let uidValidity)?:
            // The tag depends on the flags alone, whatever the message's size.
            let tag = Self.messageTag(uidValidity: uidValidity, uid: uid, flags: row.flags, gmail: nil)
            if tag.matches(ifNoneMatch: request) { return .notModified(tag) }
            guard let size = row.summary.size, size <= configuration.fullMessageFetchLimit else { return nil }
            let key = MessageBodyCache.Key(account: caller.account.key, folder: folder.mailbox.wireBytes,
                                           uidValidity: uidValidity, uid: uid)
            guard let raw = bodyCache.bytes(for: key, countingMiss: false) else { return nil }
            var message = MessageJSON(MIMEMessage.parse(raw), uid: uid)
            message.complete(flags: row.flags, size: row.summary.size, receivedAt: row.summary.receivedAt,
                             hasAttachment: row.summary.hasAttachment, gmail: nil, folder: folder.name)
            return .fresh(message, tag)
        }
    }

    /// The message as JSON, or word that the client's copy (`If-None-Match`) is current.
    ///
    /// Flags, size and structure every time (flags change); the body only when not cached, in the
    /// same UID FETCH: whole when a mirror row shows the message small enough to be read whole
    /// (RFC822.SIZE never changes for a UID), else its first `bodyPrefixBytes`, which are the whole
    /// message for most mail. Only a longer message costs a second FETCH: whole, or by parts
    /// (`LargeMessage`) above `fullMessageFetchLimit`.
    private func readMessage(_ uid: UID, in folder: (name: String, mailbox: MailboxName), state: SelectedMailbox,
                             session: any MailSession, caller: Caller,
                             request: HTTPRequest) async throws -> ConditionalOutcome<MessageJSON> {
        let uidValidity = try state.requireUIDValidity()
        let key = MessageBodyCache.Key(account: caller.account.key, folder: folder.mailbox.wireBytes,
                                       uidValidity: uidValidity, uid: uid)
        let gmailItems = await GmailFields.readItems(session: session)
        var items: [FetchItem] = [.uid, .flags, .rfc822Size, .internalDate, .bodyStructure] + gmailItems
        var raw: [UInt8]?
        // Bytes of the body asked for in the first FETCH (nil: the whole body); none for a
        // conditional request, which most likely ends in a 304.
        var prefix: Int?
        var bodyAsked = false
        if request.headers["If-None-Match"] == nil {
            let size = mirroredSize(caller, folder: folder.name, uidValidity: uidValidity, uid: uid)
            if size.map({ $0 <= configuration.fullMessageFetchLimit }) ?? true {
                raw = bodyCache.bytes(for: key)
                if raw == nil {
                    bodyAsked = true
                    if size == nil { prefix = min(Self.bodyPrefixBytes, configuration.fullMessageFetchLimit) }
                    items.append(.bodyPeek(section: "", partial: prefix.map { (offset: 0, length: $0) }))
                }
            }
        }
        let meta = try await MessageLookup.fetch(uid, items, folder: folder.name, session: session)
        // Fewer bytes than asked for: the prefix is the whole message.
        if bodyAsked, let bytes = meta.body(section: ""), prefix.map({ bytes.count < $0 }) ?? true {
            bodyCache.store(bytes, for: key)
            raw = bytes
        }
        let flags = FolderMirrors.withoutRecent(meta.flags ?? [])
        // Only where X-GM-EXT-1 is offered (and so asked for), whatever else a server sends.
        let gmail = gmailItems.isEmpty ? nil : GmailJSON(meta.items)
        let tag = Self.messageTag(uidValidity: uidValidity, uid: uid, flags: flags, gmail: gmail)
        if tag.matches(ifNoneMatch: request) { return .notModified(tag) }
        var message: MessageJSON
        if raw == nil, let size = meta.size, size > configuration.fullMessageFetchLimit, let structure = meta.bodyStructure {
            message = try await LargeMessage.read(uid, structure: structure, session: session)
        } else {
            // (Unless the first FETCH asked for the body: the cache had missed then.)
            if raw == nil, !bodyAsked, let cached = bodyCache.bytes(for: key) { raw = cached }
            if raw == nil {
                let whole = try await MessageLookup.fetch(uid, [.uid, .bodyPeek(section: "", partial: nil)],
                                                          folder: folder.name, session: session)
                let bytes = whole.body(section: "") ?? []
                bodyCache.store(bytes, for: key)
                raw = bytes
            }
            message = MessageJSON(MIMEMessage.parse(raw ?? []), uid: uid)
        }
        message.complete(flags: flags, size: meta.size, receivedAt: meta.internalDate.flatMap(InternalDate.rfc3339),
                         hasAttachment: meta.bodyStructure?.hasAttachment, gmail: gmail, folder: folder.name)
        return .fresh(message, tag)
    }

    /// How much of a message's body the first FETCH of `readMessage` asks for when its size is not
    /// known beforehand: most mail is smaller, so it comes in one round trip.
    public static let bodyPrefixBytes = 256 * 1024

    /// The tag of a message's JSON. Flags (and Gmail labels) change while the content does not:
    /// they are part of this representation's tag.
    static func messageTag(uidValidity: UIDValidity, uid: UID, flags: [String], gmail: GmailJSON?) -> EntityTag {
        let changing = flags.joined(separator: " ") + (gmail.map { "\u{0}" + $0.labels.joined(separator: "\u{0}") } ?? "")
        return EntityTag.message(uidValidity: uidValidity, uid: uid,
                                 variant: "json-" + String(SHA256Digest(of: Array(changing.utf8)).hex.prefix(12)))
    }
}

/// A representation, or word that the client's copy is current.
enum ConditionalOutcome<Value: Sendable>: Sendable {
    case notModified(EntityTag)
    case fresh(Value, EntityTag)
}

/// Fetching one message by UID, 404 when it is not there.
enum MessageLookup {
    ///
    /// A message another session added a moment ago may be unknown to this one: Dovecot answers a
    /// command from the session's view as it was before the command and tells of the new message
    /// only after it. So when nothing came back and the session heard of a change meanwhile
    /// (`mailboxViewVersion` moved), the FETCH is sent once more, now from the new view, as
    /// `uidSearchCurrent` does for searches.
    static func fetch(_ uid: UID, _ fields: [FetchItem], folder: String, session: any MailSession) async throws -> FetchResponse {
        for attempt in 0..<2 {
            let before = await session.mailboxViewVersion()
            let responses = try await session.uidFetch(UIDSet([uid]), fields)
            // Servers may send unsolicited FETCHes (flag changes) for other messages: pick ours.
            if let response = responses.first(where: { $0.uid == uid }) { return response }
            guard attempt == 0, let before, await session.mailboxViewVersion() != before else { break }
        }
        throw Problem.notFound(noMessage(uid, folder: folder))
    }

    static func noMessage(_ uid: UID, folder: String) -> String {
        "There is no message with UID \(uid) in the folder '\(folder)'."
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

    /// What the message's bytes do not tell: flags, size, INTERNALDATE (RFC 3339), whether
    /// BODYSTRUCTURE shows attachments (nil: keep what the parse found), Gmail's fields, and the
    /// attachments' `href`s.
    mutating func complete(flags: [String], size: Int?, receivedAt: String?, hasAttachment: Bool?, gmail: GmailJSON?,
                           folder: String) {
        summary.flags = flags
        summary.size = size
        summary.receivedAt = receivedAt
        if let hasAttachment { summary.hasAttachment = hasAttachment }
        summary.gmail = gmail
        for index in attachments.indices {
            attachments[index].href = Paths.part(folder, uid: summary.uid, partId: attachments[index].partId)
        }
    }
}
