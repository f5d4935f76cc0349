import HTTPServer
import IMAP

/// `GET /folders/{folder}/changes?since=STATE&maxChanges=N`: what changed in a folder since a
/// state a client holds (RFC 8620 §5.2 Foo/changes semantics, UIDs as ids), from the folder's
/// mirror after one revalidation.
extension GatewayContext {
    func registerChangesRoutes(on router: inout Router) {
        router.add(.get, "/folders/{folder}/changes", name: "folderChanges", authenticated(folderChanges))
    }

    /// The most UIDs one answer may carry, and the default.
    static let maxChangesLimit = 10_000

    private func folderChanges(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        guard let mirrors else {
            throw Problem.make(501, "mirror-disabled", title: "Folder mirror disabled",
                               detail: "Changes are answered from the folder mirror, which this gateway runs without (--mirror off).")
        }
        guard let since = request.query["since"], !since.isEmpty else {
            throw Problem.badParameter("since", "Pass the state to compute changes from, as in ?since=<state from GET /folders/{folder}>.")
        }
        guard let state = MirrorState(parsing: since) else {
            throw Problem.badParameter("since", "This state was never issued by the gateway.")
        }
        var maxChanges = Self.maxChangesLimit
        if let text = request.query["maxChanges"] {
            guard let value = Int(text), value >= 1, value <= Self.maxChangesLimit else {
                throw Problem.badParameter("maxChanges", "maxChanges is a whole number from 1 to \(Self.maxChangesLimit).")
            }
            maxChanges = value
        }
        let key = mirrorKey(caller, folder: folder.name)
        let limit = maxChanges
        let answer = { @Sendable (mirror: FolderMirror) -> Result<ChangesJSON, MirrorChangesError> in
            do throws(MirrorChangesError) {
                let changes = try mirror.changes(since: state, maxChanges: limit)
                let newState = MirrorState(instance: mirror.instance, uidValidity: mirror.uidValidity, counter: changes.newCounter)
                return .success(ChangesJSON(folder: folder.name, oldState: since, newState: newState.description,
                                            hasMoreChanges: changes.hasMoreChanges, created: changes.created.map(\.rawValue),
                                            updated: changes.updated.map(\.rawValue), destroyed: changes.destroyed.map(\.rawValue)))
            } catch {
                return .failure(error)
            }
        }
        // A watched folder answers from its mirror without IMAP; otherwise revalidate first.
        var outcome = try watchedMirror(request, caller, folder: folder.name, answer)
        if outcome == nil {
            outcome = try await withFolder(caller, folder.mailbox, access: .read) { session, selected in
                try await mirrors.withCurrentMirror(key, session: session, selected: selected, answer)
            }
            noteMirroredRead(caller, folder: folder)
        }
        switch outcome {
        case .success(let changes)?:
            return try Self.jsonResponse(changes, headers: ["Cache-Control": "private, no-cache"])
        case .failure(.invalid)?:
            throw Problem.badParameter("since", "This state was never issued for this folder.")
        case .failure(.cannotCalculate)?, nil:
            // nil: the folder is not mirrored now (too big to fill at once, or over the budget).
            throw Problem.make(410, "cannot-calculate-changes", title: "Cannot calculate changes",
                               detail: "The changes since this state are no longer known (too old, the folder was recreated, or the gateway restarted); reload the folder and continue from its new state.",
                               extensions: ["folder": .string(folder.name)])
        }
    }
}

/// The answer of `/changes`.
struct ChangesJSON: Encodable, Sendable {
    var folder: String
    var oldState: String
    var newState: String
    var hasMoreChanges: Bool
    var created: [UInt32]
    var updated: [UInt32]
    var destroyed: [UInt32]
}
