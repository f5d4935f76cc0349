import Foundation
import Gateway
import IMAP
import IMAPClient
import TestRandom
import TestSupport
import Testing

/// The folder mirror end to end against Dovecot: pages, `state` and `/changes` agree with a
/// fresh raw IMAP read while another client changes the folder, in each sync mode; a client
/// reads its own writes; a tiny budget keeps answers correct.
@Suite("Folder mirror against Dovecot", .serialized)
struct MirrorRouteTests {
    /// One row as the comparison sees it: UID and flags (without `\Recent`, which differs per session).
    typealias Rows = [UInt32: Set<String>]

    static func configure(ignoring capabilities: [String], maxBytes: Int = 64 << 20) -> (inout GatewayConfiguration) -> Void {
        { configuration in
            configuration.mirrorEnabled = true
            configuration.mirrorMaxBytes = maxBytes
            configuration.imap.ignoredCapabilities = capabilities
        }
    }

    static func path(_ folder: String) -> String {
        "/folders/" + folder.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// Every row of the folder through the gateway, and the state of the page.
    static func gatewayRows(_ harness: GatewayHarness, _ folder: String) async throws -> (rows: Rows, state: String, uidValidity: Int) {
        let result = try await harness.request(path(folder) + "/messages?limit=500&fields=uid,flags")
        #expect(result.status == 200, "\(result.text)")
        let json = try result.json()
        var rows: Rows = [:]
        for message in json["messages"] as? [[String: Any]] ?? [] {
            rows[UInt32(message["uid"] as? Int ?? 0)] = Set((message["flags"] as? [String] ?? []).filter { $0 != "\\Recent" })
        }
        #expect((json["total"] as? Int) == rows.count)
        let state = try #require(json["state"] as? String, "a mirrored page carries its state: \(result.text)")
        return (rows, state, json["uidValidity"] as? Int ?? 0)
    }

    /// The folder as a fresh raw IMAP read sees it.
    static func rawRows(_ imap: IMAPConnection, _ folder: String) async throws -> Rows {
        _ = try await imap.select(MailboxName(folder), readOnly: true)
        let uids = try await imap.uidSearch(.all)
        var rows: Rows = [:]
        if !uids.isEmpty {
            for response in try await imap.uidFetch(UIDSet(uids).compacted(), [.uid, .flags]) {
                guard let uid = response.uid else { continue }
                rows[uid.rawValue] = Set((response.flags ?? []).map(\.rawValue).filter { $0 != "\\Recent" })
            }
        }
        return rows
    }

    /// Applies `/changes` since `state` to `rows`, following `hasMoreChanges`; nil on 410.
    static func replayChanges(_ harness: GatewayHarness, _ folder: String, from state: String, onto rows: Rows,
                              current: Rows) async throws -> Rows? {
        var rows = rows
        var since = state
        for _ in 0..<100 {
            let result = try await harness.request(path(folder) + "/changes?maxChanges=3&since=" + since)
            if result.status == 410 { return nil }
            #expect(result.status == 200, "\(result.text)")
            let json = try result.json()
            for uid in json["destroyed"] as? [Int] ?? [] { rows[UInt32(uid)] = nil }
            // Created and updated rows are read from the current listing, as a client would fetch them.
            for uid in (json["created"] as? [Int] ?? []) + (json["updated"] as? [Int] ?? []) { rows[UInt32(uid)] = current[UInt32(uid)] }
            since = json["newState"] as? String ?? ""
            if json["hasMoreChanges"] as? Bool != true { return rows }
        }
        Issue.record("changes never ended")
        return rows
    }

    @Test("a seeded writer appends, flags and expunges; pages and /changes match raw IMAP",
          arguments: [[], ["QRESYNC"], ["QRESYNC", "CONDSTORE"]] as [[String]])
    func modelBased(ignoring capabilities: [String]) async throws {
        try await withHarness(configure: Self.configure(ignoring: capabilities)) { harness in
            let folder = uniqueName("Mirror")
            let writer = try await harness.imap()
            let reader = try await harness.imap()
            try await writer.create(MailboxName(folder))
            for index in 0..<5 {
                _ = try await writer.append(to: MailboxName(folder), message: TestMessages.simple(subject: "seed \(index)"))
            }
            var random = SeededRandom(seed: UInt64(capabilities.count + 11))
            var previous = try await Self.gatewayRows(harness, folder)
            #expect(previous.rows == (try await Self.rawRows(reader, folder)))
            let flagChoices: [[Flag]] = [[.seen], [.flagged], [.seen, Flag("$Label1")], []]
            for step in 0..<14 {
                _ = try await writer.select(MailboxName(folder), readOnly: false)
                let uids = try await writer.uidSearch(.all)
                switch random.next(10) {
                // DELETE and CREATE of the folder (UIDVALIDITY change) under pooled sessions:
                // FolderConsistencyTests, at fixed steps in each sync mode.
                case 1, 2, 3:
                    for index in 0..<(1 + random.next(3)) {
                        _ = try await writer.append(to: MailboxName(folder), message: TestMessages.simple(subject: "step \(step).\(index)"))
                    }
                case 4 where !uids.isEmpty, 5 where !uids.isEmpty:
                    let victims = UIDSet((0..<(1 + random.next(2))).map { _ in uids[random.next(uids.count)] }).compacted()
                    try await writer.uidStore(victims, .add([.deleted]), silent: true)
                    try await writer.uidExpunge(victims)
                default:
                    guard !uids.isEmpty else { continue }
                    let target = UIDSet([uids[random.next(uids.count)]])
                    try await writer.uidStore(target, .replace(flagChoices[random.next(flagChoices.count)]), silent: true)
                }
                let raw = try await Self.rawRows(reader, folder)
                // A watched folder is current once the server's IDLE notification reached its
                // watcher (the freshness contract): poll until then.
                var now = try await Self.gatewayRows(harness, folder)
                _ = try await eventually(timeout: .seconds(10)) {
                    now = try await Self.gatewayRows(harness, folder)
                    return now.rows == raw
                }
                #expect(now.rows == raw, "step \(step): the page equals a fresh raw read")
                let replayed = try await Self.replayChanges(harness, folder, from: previous.state, onto: previous.rows, current: now.rows)
                if now.uidValidity != previous.uidValidity {
                    #expect(replayed == nil, "a state from before the recreation cannot be calculated (410)")
                } else {
                    #expect(replayed == now.rows, "step \(step): /changes applied to the previous snapshot")
                }
                previous = now
            }
            await writer.logout()
            await reader.logout()
        }
    }

    @Test("upload, PATCH and GET in a loop never lose a change; the folder carries the state")
    func readYourWrites() async throws {
        try await withHarness(configure: Self.configure(ignoring: [])) { harness in
            let folder = uniqueName("MirrorRYW")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            let path = Self.path(folder)
            var state = try await Self.gatewayRows(harness, folder).state
            for round in 0..<6 {
                let upload = try await harness.request(path + "/messages", method: "POST", headers: ["Content-Type": "message/rfc822"],
                                                       body: Data(TestMessages.simple(subject: "round \(round)")))
                #expect(upload.status == 201, "\(upload.text)")
                let uid = try #require(try upload.json()["uid"] as? Int)
                let patch = try await harness.request("\(path)/messages/\(uid)", method: "PATCH", headers: ["Content-Type": "application/json"],
                                                      body: try jsonBody(["flags": ["add": ["\\Flagged"]]]))
                #expect(patch.status == 200, "\(patch.text)")
                let page = try await Self.gatewayRows(harness, folder)
                #expect(page.rows[UInt32(uid)]?.contains("\\Flagged") == true, "round \(round): the new message is listed flagged")
                let changes = try await harness.request("\(path)/changes?since=\(state)")
                #expect(changes.status == 200)
                #expect(try changes.json()["created"] as? [Int] == [uid])
                state = page.state
                let summary = try await harness.request(path)
                #expect(try summary.json()["state"] as? String == state, "GET /folders/{f} carries the same state")
            }
            await imap.logout()
        }
    }

    @Test("If-None-Match with a page's ETag answers 304 while nothing changed")
    func notModified() async throws {
        try await withHarness(configure: Self.configure(ignoring: [])) { harness in
            let folder = uniqueName("MirrorETag")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            _ = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "one"))
            let first = try await harness.request(Self.path(folder) + "/messages?limit=5")
            let tag = try #require(first.headers["etag"])
            let again = try await harness.request(Self.path(folder) + "/messages?limit=5", headers: ["If-None-Match": tag])
            #expect(again.status == 304)
            let other = try await harness.request(Self.path(folder) + "/messages?limit=4", headers: ["If-None-Match": tag])
            #expect(other.status == 200, "another query is another representation")
            _ = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "two"))
            // Once the folder's watcher heard of the append (IDLE), the tag no longer matches.
            let changed = try await eventually(timeout: .seconds(10)) {
                try await harness.request(Self.path(folder) + "/messages?limit=5", headers: ["If-None-Match": tag]).status == 200
            }
            #expect(changed)
            await imap.logout()
        }
    }

    @Test("bad since and maxChanges are 400; a state from another gateway is 410")
    func badStates() async throws {
        try await withHarness(configure: Self.configure(ignoring: [])) { harness in
            let folder = uniqueName("MirrorBad")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            let path = Self.path(folder) + "/changes"
            let state = try await Self.gatewayRows(harness, folder).state
            #expect(try await harness.request(path).status == 400)
            #expect(try await harness.request(path + "?since=garbage").status == 400)
            #expect(try await harness.request(path + "?since=\(state)&maxChanges=0").status == 400)
            #expect(try await harness.request(path + "?since=\(state)&maxChanges=x").status == 400)
            let parsed = try #require(MirrorState(parsing: state))
            let future = MirrorState(instance: parsed.instance, uidValidity: parsed.uidValidity, counter: parsed.counter + 1000)
            #expect(try await harness.request(path + "?since=\(future)").status == 400, "never issued")
            let foreign = MirrorState(instance: parsed.instance &+ 1, uidValidity: parsed.uidValidity, counter: 1)
            let gone = try await harness.request(path + "?since=\(foreign)")
            #expect(gone.status == 410)
            #expect((try gone.json()["type"] as? String)?.hasSuffix("cannot-calculate-changes") == true)
            await imap.logout()
        }
    }

    @Test("a budget for one folder: alternating two folders evicts, answers stay right, old states are 410")
    func eviction() async throws {
        // About 10 rows of these messages fit; two folders of 8 do not.
        try await withHarness(configure: Self.configure(ignoring: [], maxBytes: 8_000)) { harness in
            let folders = [uniqueName("MirrorEvictA"), uniqueName("MirrorEvictB")]
            let imap = try await harness.imap()
            for folder in folders {
                try await imap.create(MailboxName(folder))
                for index in 0..<8 {
                    _ = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "\(folder) \(index)"))
                }
            }
            var states: [String] = []
            for round in 0..<4 {
                let folder = folders[round % 2]
                let page = try await Self.gatewayRows(harness, folder)
                #expect(page.rows == (try await Self.rawRows(imap, folder)))
                states.append(page.state)
            }
            #expect(states[0] != states[2], "folder A was evicted and mirrored anew")
            let stale = try await harness.request(Self.path(folders[0]) + "/changes?since=\(states[0])")
            #expect(stale.status == 410)
            await imap.logout()
        }
    }
}
