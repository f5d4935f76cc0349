import Foundation
import Gateway
import Testing
import TestSupport

/// The folder's event stream as a browser client keeps it: a copy of the folder's UIDs and
/// flags built from the events alone (`new` rows fetched, as a client would, from a page),
/// reloaded on `reset`, and resumed with `Last-Event-ID` after a disconnect. The consistency
/// test checks after every step that this copy equals the folder.
final class EventFollower {
    private var client: SSEClient
    private let port: Int
    private let path: String
    /// What the events said so far: uid → row.
    private(set) var rows: FolderConsistencyTests.Snapshot = [:]
    /// `reset` events received (a folder created anew, a change log that cannot tell).
    private(set) var resets = 0
    /// Streams opened with `Last-Event-ID`.
    private(set) var resumes = 0

    private init(client: SSEClient, port: Int, path: String) {
        self.client = client
        self.port = port
        self.path = path
    }

    /// Opens the stream, waits for `ready`, then loads the folder (`load`): events after `ready`
    /// may repeat what the load already shows, which applying them leaves as it is.
    static func open(port: Int, folder: String, load: () async throws -> FolderConsistencyTests.Snapshot) async throws -> EventFollower {
        let path = Paths.folder(folder) + "/events"
        let client = try await SSEClient.open(port: port, path)
        #expect(client.status == 200)
        _ = try await client.next("ready")
        let follower = EventFollower(client: client, port: port, path: path)
        follower.rows = try await load()
        return follower
    }

    /// The client goes away (a closed laptop lid).
    func disconnect() { client.close() }

    /// Reconnects with the last `id:` seen; the stream replays what changed since (or `reset`).
    func resume() async throws {
        let last = try #require(client.lastEventID, "a watched stream's events carry id:")
        client = try await SSEClient.open(port: port, path, headers: ["Last-Event-ID": last])
        #expect(client.status == 200)
        _ = try await client.next("ready")
        resumes += 1
    }

    /// Applies events until the copy equals `expected`, or `timeout` passes; whether it does.
    /// `current` is the folder as a page shows it now (rows for `new` UIDs, and the reload on
    /// `reset`).
    func catchUp(to expected: FolderConsistencyTests.Snapshot, timeout: Duration = .seconds(10),
                 current: () async throws -> FolderConsistencyTests.Snapshot) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while rows != expected {
            let left = deadline - .now
            guard left > .zero else { return false }
            let frame: SSEClient.Frame?
            do {
                frame = try await client.nextFrame(timeout: min(left, .milliseconds(500)))
            } catch SSEClient.Failure.timedOut {
                continue
            }
            guard let frame else { return false }
            guard case .event(let name, let data) = frame else { continue }
            let json = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] ?? [:]
            let uids = (json["uids"] as? [Int] ?? []).map(UInt32.init)
            switch name {
            case "new":
                let now = try await current()
                for uid in uids { rows[uid] = now[uid] }
            case "expunged":
                #expect(json["uids"] != nil, "a watched stream names expunged UIDs in every sync mode: \(data)")
                for uid in uids { rows[uid] = nil }
            case "flags":
                guard let uid = json["uid"] as? Int, var row = rows[UInt32(uid)] else { continue }
                row.flags = FolderConsistencyTests.normalized(json["flags"] as? [String] ?? [])
                rows[UInt32(uid)] = row
            case "reset":
                resets += 1
                rows = try await current()
            case "error":
                Issue.record("the stream reported an error: \(data)")
                return false
            default:
                continue
            }
        }
        return true
    }

    func close() { client.close() }
}
