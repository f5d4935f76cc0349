import HTTPServer
import IMAP
import IMAPClient

/// `PATCH /folders/{folder}/messages/{uid}`, `DELETE` of it, and `POST .../move` and `.../copy`.
extension GatewayContext {
    func registerMessageWriteRoutes(on router: inout Router) {
        router.add(.patch, "/folders/{folder}/messages/{uid}", name: "updateMessageFlags", authenticated(updateMessageFlags))

        router.add(.delete, "/folders/{folder}/messages/{uid}", name: "deleteMessage", authenticated(deleteMessage))

        for (verb, move) in [("move", true), ("copy", false)] {
            router.add(.post, "/folders/{folder}/messages/{uid}/\(verb)", name: move ? "moveMessage" : "copyMessage",
                       authenticated { [self] request, caller in try await transferMessage(request, caller, move: move) })
        }
    }

    private func transferMessage(_ request: HTTPRequest, _ caller: Caller, move: Bool) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        let uid = try request.uidParameter()
        let target = try await request.jsonBody(TargetFolderBody.self).to
        guard !target.isEmpty else { throw Problem.badBody("'to' must name a folder.") }
        try FolderNameRules.requirePossible(target)
        // A folder created anew since the session selected it: see `retryingOnRecreatedFolder`.
        let outcome = try await withFolder(caller, folder.mailbox, access: .write) { session, state in
            try await session.retryingOnRecreatedFolder(state) { _ in
                try await MessageWrites(session: session, exclusive: exclusiveMoves(caller, folder.mailbox))
                    .transfer([uid], to: MailboxName(target), move: move)[uid]
            }
        }
        if let outcome { mirrorAfterWrite(caller, folder: folder.name, [uid: outcome], moved: move) }
        guard case .transferred(let destination, let newUID) = outcome else {
            throw Problem.notFound(Self.noMessage(uid, folder.name))
        }
        let href = newUID.map { Paths.message(destination, uid: $0.rawValue) }
        var headers = HTTPHeaders()
        if let href { headers.set("Location", href) }
        return .json(MoveResultJSON(folder: destination, uid: newUID?.rawValue, href: href), headers: headers)
    }

    private func updateMessageFlags(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        let uid = try request.uidParameter()
        let changes = try await request.jsonBody(FlagUpdateBody.self).flags.changes()
        let outcome = try await withFolder(caller, folder.mailbox, access: .write) { [self] session, state in
            let outcome: WriteOutcome?
            do {
                outcome = try await session.retryingOnRecreatedFolder(state) { state in
                    try KeywordSupport.check(changes, in: state)
                    let likelyMet = flagsLikelyMet(caller, folder: folder.name, state: state, uid: uid, changes) ? [uid] : Set<UID>()
                    return try await MessageWrites(session: session).changeFlags([uid], changes, likelyMet: likelyMet)[uid]
                }
            } catch let error as IMAPError where error.isConnectionLoss {
                // A flag change is idempotent (add, remove or set gives the same flags run twice):
                // a session lost mid-STORE (Dovecot ends one that stored into a folder deleted
                // under it) runs it once more on a fresh session instead of answering 502.
                throw RefusedWriteSessionLost(loss: error)
            }
            // Within the lease: a change the mirror now holds with its MODSEQ spares the watchers a sync (`WriteReceipt`).
            if let outcome { mirrorAfterWrite(caller, folder: folder.name, [uid: outcome], moved: false) }
            return outcome
        }
        if case .flagsNotKept(let flags) = outcome {
            throw Problem.make(422, "flags-not-kept", title: "Flags not kept", detail: FlagsNotKept.detail,
                               extensions: ["flags": .array(flags.map { .string($0.rawValue) })])
        }
        guard case .flags(let flags, _) = outcome else { throw Problem.notFound(Self.noMessage(uid, folder.name)) }
        return .json(FlagsResultJSON(uid: uid.rawValue, flags: flags.map(\.rawValue)))
    }

    private func deleteMessage(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        let uid = try request.uidParameter()
        let permanent = try request.booleanQuery("permanent")
        let outcome = try await withFolder(caller, folder.mailbox, access: .write) { session, state in
            try await session.retryingOnRecreatedFolder(state) { _ in
                let writes = MessageWrites(session: session, trashFolder: configuration.trashFolder,
                                           exclusive: exclusiveMoves(caller, folder.mailbox))
                return permanent ? try await writes.expunge([uid])[uid] : try await writes.moveToTrash([uid], from: folder.mailbox)[uid]
            }
        }
        if let outcome { mirrorAfterWrite(caller, folder: folder.name, [uid: outcome], moved: true) }
        if outcome == .notFound || outcome == nil { throw Problem.notFound(Self.noMessage(uid, folder.name)) }
        return .noContent()
    }

    static func noMessage(_ uid: UID, _ folder: String) -> String {
        "There is no message with UID \(uid.rawValue) in '\(folder)'."
    }
}

/// `{"flags": {"add": [...], "remove": [...]}}` or `{"flags": {"set": [...]}}`.
struct FlagUpdateBody: Decodable {
    var flags: FlagChangeBody

    init(from decoder: any Decoder) throws {
        flags = try RequestObject(decoder, members: ["flags"]).required(FlagChangeBody.self, "flags")
    }
}

struct FlagChangeBody: Decodable {
    var add: [String]?
    var remove: [String]?
    var set: [String]?

    /// Strict, as openapi.yaml's `FlagChange`: no other member, `add` and `remove` not empty
    /// when given (`set: []` is meaningful: it clears the flags).
    init(from decoder: any Decoder) throws {
        let object = try RequestObject(decoder, members: ["add", "remove", "set"])
        add = try object.optional([String].self, "add")
        remove = try object.optional([String].self, "remove")
        set = try object.optional([String].self, "set")
        let path = decoder.codingPath.map(\.stringValue)
        for (name, list) in [("add", add), ("remove", remove)] where list?.isEmpty == true {
            throw RequestBodyError.invalid(path: path + [name], reason: "is empty: leave it out instead.")
        }
    }

    /// The changes in the order UID STORE applies them: `set` alone, or `add` then `remove`
    /// (IMAP has no single command for both; a flag in both lists is refused as ambiguous).
    func changes() throws(HTTPError) -> [StoreOperation] {
        if let set {
            guard add == nil, remove == nil else { throw Problem.badBody("'flags' takes either 'set', or 'add' and 'remove'.") }
            return [.replace(try FlagNames.parse(set, parameter: "flags.set"))]
        }
        let added = try FlagNames.parse(add ?? [], parameter: "flags.add")
        let removed = try FlagNames.parse(remove ?? [], parameter: "flags.remove")
        if let both = added.first(where: removed.contains) {
            throw Problem.badBody("'\(both.rawValue)' is both added and removed.")
        }
        var changes: [StoreOperation] = []
        if !added.isEmpty { changes.append(.add(added)) }
        if !removed.isEmpty { changes.append(.remove(removed)) }
        guard !changes.isEmpty else { throw Problem.badBody("'flags' names no flag to add, remove or set.") }
        return changes
    }
}

/// `{"to": "Archive"}`.
struct TargetFolderBody: Decodable {
    var to: String

    init(from decoder: any Decoder) throws {
        to = try RequestObject(decoder, members: ["to"]).required(String.self, "to")
    }
}

/// `{"uid": 5, "flags": ["\\Seen"]}`.
struct FlagsResultJSON: Encodable {
    var uid: UInt32
    var flags: [String]
}

/// `{"folder": "Archive", "uid": 7, "href": "..."}`; `uid` null when the server did not say.
struct MoveResultJSON: Encodable {
    var folder: String
    @ExplicitNull var uid: UInt32?
    var href: String?
}
