import HTTPServer
import IMAP
import IMAPClient

/// `POST /folders/{folder}/messages/batch`: one action on many UIDs, answered per UID.
extension GatewayContext {
    /// More UIDs than this in one batch is a 400; clients split larger jobs.
    static let batchLimit = 1000

    func registerBatchRoutes(on router: inout Router) {
        router.add(.post, "/folders/{folder}/messages/batch", name: "batchMessages", authenticated(batchMessages))
    }

    private func batchMessages(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        let batch = try await request.jsonBody(BatchBody.self, limit: 256 * 1024)
        let uids = try Self.batchUIDs(batch.uids)
        let action = try BatchAction(batch)
        let progress = BatchProgress()
        let outcomes: [UID: WriteOutcome]
        do {
            outcomes = try await withFolder(caller, folder.mailbox, access: .write) { session, state in
                let writes = MessageWrites(session: session, trashFolder: configuration.trashFolder, progress: progress,
                                           exclusive: exclusiveMoves(caller, folder.mailbox))
                switch action {
                case .flags(let changes):
                    try KeywordSupport.check(changes, in: state)
                    return try await writes.changeFlags(uids, changes)
                case .move(let target): return try await writes.transfer(uids, to: target, move: true)
                case .copy(let target): return try await writes.transfer(uids, to: target, move: false)
                case .delete(let permanent):
                    return permanent ? try await writes.expunge(uids) : try await writes.moveToTrash(uids, from: folder.mailbox)
                }
            }
        } catch let lost as IMAPError where BatchRecheck.cutsShort(lost) {
            // Cut short: say per UID what is known, from a look at the folder on a new session.
            // When even that fails, nothing is known and the batch answers as the failure does.
            do {
                outcomes = try await withFolder(caller, folder.mailbox, access: .read) { session, _ in
                    try await BatchRecheck.outcomes(uids, action: action, progress: progress, on: session)
                }
            } catch {
                throw lost
            }
            logger.info("Batch cut short by a lost IMAP connection; answered per UID after a re-check",
                        metadata: ["account": "\(caller.account.user)"])
        }
        let moved = switch action {
        case .move, .delete: true
        case .flags, .copy: false
        }
        mirrorAfterWrite(caller, folder: folder.name, outcomes, moved: moved)
        let results = uids.map { uid in BatchItemJSON(uid: uid, outcome: outcomes[uid] ?? .notFound) }
        return .json(BatchResultJSON(action: batch.action, results: results))
    }

    /// The UIDs in request order, without repeats; 400 for an empty, oversized or invalid list.
    private static func batchUIDs(_ numbers: [Int64]) throws(HTTPError) -> [UID] {
        guard !numbers.isEmpty else { throw Problem.badBody("'uids' is empty.") }
        guard numbers.count <= batchLimit else {
            throw Problem.badBody("A batch takes at most \(batchLimit) UIDs, not \(numbers.count).")
        }
        var seen = Set<UInt32>()
        var uids: [UID] = []
        for number in numbers {
            guard number >= 1, number <= Int64(UInt32.max) else {
                throw Problem.badBody("\(number) is not a UID (1 to 4294967295).")
            }
            if seen.insert(UInt32(number)).inserted { uids.append(UID(UInt32(number))) }
        }
        return uids
    }
}

/// `{"uids": [...], "action": "flags"|"move"|"copy"|"delete", "flags": {...}, "to": "...", "permanent": bool}`.
struct BatchBody: Decodable {
    var uids: [Int64]
    var action: String
    var flags: FlagChangeBody?
    var to: String?
    var permanent: Bool?

    init(from decoder: any Decoder) throws {
        let object = try RequestObject(decoder, members: ["uids", "action", "flags", "to", "permanent"])
        uids = try object.required([Int64].self, "uids")
        action = try object.required(String.self, "action")
        flags = try object.optional(FlagChangeBody.self, "flags")
        to = try object.optional(String.self, "to")
        permanent = try object.optional(Bool.self, "permanent")
    }
}

/// A batch's action, checked.
enum BatchAction {
    case flags([StoreOperation])
    case move(MailboxName)
    case copy(MailboxName)
    case delete(permanent: Bool)

    init(_ body: BatchBody) throws(HTTPError) {
        // Members the action does not use are still checked, as the schema checks them.
        if body.to?.isEmpty == true { throw Problem.badBody("'to' must name a folder.") }
        let flagChanges = try body.flags?.changes()
        switch body.action {
        case "flags":
            guard let flagChanges else { throw Problem.badBody("The 'flags' action needs 'flags'.") }
            self = .flags(flagChanges)
        case "move", "copy":
            guard let to = body.to, !to.isEmpty else { throw Problem.badBody("The '\(body.action)' action needs 'to'.") }
            try FolderNameRules.requirePossible(to)
            self = body.action == "move" ? .move(MailboxName(to)) : .copy(MailboxName(to))
        case "delete":
            self = .delete(permanent: body.permanent ?? false)
        default:
            throw Problem.badBody("'action' is one of flags, move, copy, delete; not '\(body.action)'.")
        }
    }
}

/// One UID's result: the status it would have had alone, and what changed.
struct BatchItemJSON: Encodable {
    var uid: UInt32
    var status: Int
    var flags: [String]?
    var folder: String?
    var newUid: UInt32?
    var transferred = false
    var problem: HTTPErrorBody?

    init(uid: UID, outcome: WriteOutcome) {
        self.uid = uid.rawValue
        switch outcome {
        case .flags(let flags, _):
            status = 200
            self.flags = flags.map(\.rawValue)
        case .flagsNotKept(let flags):
            status = 422
            self.flags = flags.map(\.rawValue)
            problem = HTTPErrorBody(type: Problem.typeBase + "flags-not-kept", title: "Flags not kept", status: 422,
                                    detail: FlagsNotKept.detail)
        case .transferred(let folder, let newUID):
            status = 200
            self.folder = folder
            newUid = newUID?.rawValue
            transferred = true
        case .deleted:
            status = 204
        case .notFound:
            status = 404
            problem = HTTPErrorBody(type: Problem.typeBase + "not-found", title: "Not found", status: 404,
                                    detail: "There is no message with UID \(uid.rawValue) in this folder.")
        case .notDone:
            status = 502
            problem = HTTPErrorBody(type: Problem.typeBase + "not-done", title: "Not done", status: 502,
                                    detail: "The IMAP connection was lost before this message was changed; a look afterwards found it unchanged. Send it again.")
        case .unknown:
            status = 502
            problem = HTTPErrorBody(type: Problem.typeBase + "outcome-unknown", title: "Outcome unknown", status: 502,
                                    detail: "The IMAP connection was lost while this message was being changed, and a look afterwards cannot tell whether it was (a copy leaves the source as it was). Check the destination before sending it again.")
        }
    }

    private enum CodingKeys: String, CodingKey { case uid, status, flags, folder, newUid, problem }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uid, forKey: .uid)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(flags, forKey: .flags)
        try container.encodeIfPresent(folder, forKey: .folder)
        if transferred { try container.encode(newUid, forKey: .newUid) }
        try container.encodeIfPresent(problem, forKey: .problem)
    }
}

/// A problem document inside a batch result.
struct HTTPErrorBody: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String
}

/// `{"action": "move", "results": [...]}`.
struct BatchResultJSON: Encodable {
    var action: String
    var results: [BatchItemJSON]
}
