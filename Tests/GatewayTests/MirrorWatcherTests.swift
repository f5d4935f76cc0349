import Foundation
import Gateway
import IMAP
import IMAPClient
import Testing
import TestSupport

/// Folder watchers against Dovecot: with the mirror on, a folder being read gets an IMAP session
/// of its own in IDLE; reads of it then catch up with changes another client makes without
/// sending any IMAP command, `Cache-Control: no-cache` still asks the server, event streams share
/// the watcher and resume from `Last-Event-ID`, and a lost watcher falls back and resyncs.
@Suite("Folder watchers against Dovecot", .serialized)
struct MirrorWatcherTests {
    static func configure(_ configuration: inout GatewayConfiguration) {
        configuration.mirrorEnabled = true
    }

    static func path(_ folder: String) -> String {
        "/folders/" + folder.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// A folder with `count` messages, made over IMAP.
    static func makeFolder(_ harness: GatewayHarness, _ prefix: String, messages count: Int) async throws -> String {
        let name = uniqueName(prefix)
        let imap = try await harness.imap()
        try await imap.create(MailboxName(name))
        for index in 0..<count {
            _ = try await imap.append(to: MailboxName(name), message: TestMessages.simple(subject: "m\(index)"))
        }
        await imap.logout()
        return name
    }

    /// UIDs and flags of the whole folder through the gateway (one page).
    static func gatewayRows(_ harness: GatewayHarness, _ folder: String, headers: [String: String] = [:]) async throws -> [UInt32: Set<String>] {
        let result = try await harness.request(path(folder) + "/messages?limit=500&fields=uid,flags", headers: headers)
        #expect(result.status == 200, "\(result.text)")
        var rows: [UInt32: Set<String>] = [:]
        for message in try result.json()["messages"] as? [[String: Any]] ?? [] {
            rows[UInt32(message["uid"] as? Int ?? 0)] = Set((message["flags"] as? [String] ?? []).filter { $0 != "\\Recent" })
        }
        return rows
    }

    /// The folder as a fresh raw IMAP read sees it.
    static func rawRows(_ harness: GatewayHarness, _ folder: String) async throws -> [UInt32: Set<String>] {
        let imap = try await harness.imap()
        _ = try await imap.select(MailboxName(folder), readOnly: true)
        var rows: [UInt32: Set<String>] = [:]
        let uids = try await imap.uidSearch(.all)
        if !uids.isEmpty {
            for response in try await imap.uidFetch(UIDSet(uids).compacted(), [.uid, .flags]) {
                guard let uid = response.uid else { continue }
                rows[uid.rawValue] = Set((response.flags ?? []).map(\.rawValue).filter { $0 != "\\Recent" })
            }
        }
        await imap.logout()
        return rows
    }

    /// Every IMAP command the gateway sent so far (all sessions: pooled, watchers, streams).
    static func imapCommands(_ harness: GatewayHarness) async throws -> Double {
        let scrape = try await harness.request("/metrics", user: nil)
        return try Exposition(scrape.text).samples.filter { $0.key.hasPrefix("imap_commands_total{") }.values.reduce(0, +)
    }

    /// Waits until `count` watchers are in IDLE with their folder current.
    static func watching(_ harness: GatewayHarness, count: Int = 1) async -> Bool {
        await eventually(timeout: .seconds(10)) { harness.gateway.context.watchers?.watchingCount == count }
    }

    @Test("a watched folder catches up with another client's changes and its reads send no IMAP command; no-cache asks the server")
    func watchedReadsCostNoRoundTrip() async throws {
        try await withHarness(configure: Self.configure) { harness in
            let folder = try await Self.makeFolder(harness, "Watched", messages: 4)
            let path = Self.path(folder)
            // The first reads go through a pooled session and start the watcher.
            let first = try await harness.request(path + "/messages?limit=2")
            #expect(first.status == 200)
            #expect(try await harness.request(path).status == 200)
            #expect(await Self.watching(harness), "the folder's watcher is in IDLE")

            // Another client appends, flags and expunges: the gateway catches up without being asked.
            let writer = try await harness.imap()
            _ = try await writer.append(to: MailboxName(folder), message: TestMessages.simple(subject: "late"))
            _ = try await writer.select(MailboxName(folder), readOnly: false)
            try await writer.uidStore(UIDSet([UID(2)]), .add([.flagged]), silent: true)
            try await writer.uidStore(UIDSet([UID(1)]), .add([.deleted]), silent: true)
            try await writer.uidExpunge(UIDSet([UID(1)]))
            await writer.logout()
            let raw = try await Self.rawRows(harness, folder)
            #expect(raw.count == 4 && raw[2]?.contains("\\Flagged") == true)
            var seen: [UInt32: Set<String>] = [:]
            let caughtUp = try await eventually(timeout: .seconds(10)) {
                seen = try await Self.gatewayRows(harness, folder)
                return seen == raw
            }
            #expect(caughtUp, "gateway \(seen) vs IMAP \(raw)")
            #expect(await Self.watching(harness))

            // Zero round trips: a first page, the next page, the folder, /changes.
            let before = try await Self.imapCommands(harness)
            let page = try await harness.request(path + "/messages?limit=2")
            #expect(page.status == 200)
            let pageJSON = try page.json()
            let cursor = try #require(pageJSON["nextCursor"] as? String)
            let state = try #require(pageJSON["state"] as? String)
            let next = try await harness.request(path + "/messages?limit=2&cursor=" + cursor)
            #expect(next.status == 200)
            #expect((try next.json()["messages"] as? [[String: Any]])?.count == 2)
            let summary = try await harness.request(path)
            #expect(summary.status == 200)
            #expect(try summary.json()["state"] as? String == state)
            #expect(try summary.json()["exists"] as? Int == 4)
            let changes = try await harness.request(path + "/changes?since=" + state)
            #expect(changes.status == 200)
            #expect(try changes.json()["newState"] as? String == state)
            let notModified = try await harness.request(path + "/messages?limit=2", headers: ["If-None-Match": page.headers["etag"] ?? ""])
            #expect(notModified.status == 304)
            #expect(try await Self.imapCommands(harness) == before, "watched reads sent no IMAP command")

            // Cache-Control: no-cache revalidates on a pooled session.
            let revalidated = try await harness.request(path + "/messages?limit=2", headers: ["Cache-Control": "no-cache"])
            #expect(revalidated.status == 200)
            #expect(try await Self.imapCommands(harness) > before, "no-cache asked the IMAP server")
        }
    }

    @Test("a write through the gateway is read back at once from a watched folder")
    func readYourWritesWhileWatched() async throws {
        try await withHarness(configure: Self.configure) { harness in
            let folder = try await Self.makeFolder(harness, "Watched RYW", messages: 2)
            let path = Self.path(folder)
            _ = try await Self.gatewayRows(harness, folder)
            #expect(await Self.watching(harness))
            for round in 0..<3 {
                let patch = try await harness.request("\(path)/messages/2", method: "PATCH",
                                                      body: try jsonBody(["flags": [round % 2 == 0 ? "add" : "remove": ["\\Flagged"]]]))
                #expect(patch.status == 200, "\(patch.text)")
                let rows = try await Self.gatewayRows(harness, folder)
                #expect(rows[2]?.contains("\\Flagged") == (round % 2 == 0), "round \(round): the page shows the PATCH")
            }
        }
    }

    @Test("many event streams on one folder share one watcher; every stream gets the change with its state as id")
    func streamsShareTheWatcher() async throws {
        try await withHarness(configure: Self.configure) { harness in
            let folder = try await Self.makeFolder(harness, "Watched Streams", messages: 1)
            var clients: [SSEClient] = []
            defer { for client in clients { client.close() } }
            // More than --events-per-account (2): shared streams cost no IMAP connection.
            for _ in 0..<5 {
                let client = try await SSEClient.open(port: harness.port, Self.path(folder) + "/events")
                #expect(client.status == 200)
                let ready = try await client.next("ready")
                #expect(ready["exists"] as? Int == 1)
                #expect(client.lastEventID != nil && client.lastEventID == ready["state"] as? String)
                clients.append(client)
            }
            #expect(harness.gateway.context.watchers?.count == 1, "one watcher for the folder")
            let scrape = try Exposition(try await harness.request("/metrics", user: nil).text)
            #expect(scrape["event_streams_open"] == 5)
            // The pool and the watcher: no session per stream.
            #expect((scrape["imap_sessions_open"] ?? 99) <= 2)

            let imap = try await harness.imap()
            let appended = try #require(try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "new")))
            await imap.logout()
            let state = try await harness.request(Self.path(folder)).json()["state"] as? String
            for client in clients {
                let new = try await client.next("new", timeout: .seconds(10))
                #expect(new["uids"] as? [Int] == [Int(appended.uid.rawValue)])
                #expect(client.lastEventID != nil)
            }
            #expect(state != nil)
        }
    }

    @Test("shared streams have a cap of their own per account: one account cannot take every stream of the gateway")
    func sharedStreamsAreCappedPerAccount() async throws {
        try await withHarness(configure: { configuration in
            Self.configure(&configuration)
            configuration.events.perAccount = 1
            configuration.events.watchedPerAccount = 3
            configuration.events.heartbeat = .milliseconds(200)
        }) { harness in
            let folder = try await Self.makeFolder(harness, "Watched Cap", messages: 1)
            var clients: [SSEClient] = []
            defer { for client in clients { client.close() } }
            for _ in 0..<3 {
                let client = try await SSEClient.open(port: harness.port, Self.path(folder) + "/events")
                #expect(client.status == 200)
                _ = try await client.next("ready")
                clients.append(client)
            }
            let refused = try await RawHTTP.request(port: harness.port, Self.path(folder) + "/events", user: .alice)
            #expect(refused.status == 429)
            #expect((try refused.json()["type"] as? String)?.hasSuffix("/too-many-event-streams") == true)
            #expect(refused.headers["retry-after"] != nil)
            // Another account's streams are not refused.
            let bobs = try await SSEClient.open(port: harness.port, "/folders/INBOX/events", user: .bob)
            defer { bobs.close() }
            #expect(bobs.status == 200)
            // A closed stream frees its place (noticed at the next heartbeat's failed write).
            clients.removeFirst().close()
            var reopened: SSEClient?
            defer { reopened?.close() }
            #expect(try await eventually(timeout: .seconds(30)) {
                let client = try await SSEClient.open(port: harness.port, Self.path(folder) + "/events")
                guard client.status == 200 else { client.close(); return false }
                reopened = client
                return true
            })
        }
    }

    @Test("a stream resumed with Last-Event-ID replays what changed since; an unknown id gets reset")
    func lastEventIDReplayAndReset() async throws {
        try await withHarness(configure: Self.configure) { harness in
            let folder = try await Self.makeFolder(harness, "Watched Resume", messages: 2)
            let path = Self.path(folder) + "/events"
            let first = try await SSEClient.open(port: harness.port, path)
            let ready = try await first.next("ready")
            let resumeFrom = try #require(first.lastEventID)
            #expect(ready["state"] as? String == resumeFrom)
            first.close()

            // Changes while disconnected.
            let imap = try await harness.imap()
            let appended = try #require(try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "missed")))
            _ = try await imap.select(MailboxName(folder), readOnly: false)
            try await imap.uidStore(UIDSet([UID(1)]), .add([.seen]), silent: true)
            try await imap.uidStore(UIDSet([UID(2)]), .add([.deleted]), silent: true)
            try await imap.uidExpunge(UIDSet([UID(2)]))
            await imap.logout()
            let expected = try await Self.rawRows(harness, folder)
            _ = try await eventually(timeout: .seconds(10)) { try await Self.gatewayRows(harness, folder) == expected }

            let resumed = try await SSEClient.open(port: harness.port, path, headers: ["Last-Event-ID": resumeFrom])
            defer { resumed.close() }
            _ = try await resumed.next("ready")
            let expunged = try await resumed.next("expunged", timeout: .seconds(5))
            #expect(expunged["uids"] as? [Int] == [2])
            let new = try await resumed.next("new", timeout: .seconds(5))
            #expect(new["uids"] as? [Int] == [Int(appended.uid.rawValue)])
            let flags = try await resumed.next("flags", timeout: .seconds(5))
            #expect(flags["uid"] as? Int == 1)
            #expect((flags["flags"] as? [String])?.contains("\\Seen") == true)
            let now = try await harness.request(Self.path(folder)).json()["state"] as? String
            #expect(resumed.lastEventID == now, "the last replayed event carries the state now")

            // Never issued, and from another mirror: reset, then the stream goes on.
            let other = MirrorState(instance: 1, uidValidity: 1, counter: 1).description
            for id in ["garbage", other] {
                let client = try await SSEClient.open(port: harness.port, path, headers: ["Last-Event-ID": id])
                defer { client.close() }
                _ = try await client.next("ready")
                let reset = try await client.next("reset", timeout: .seconds(5))
                #expect(reset["state"] as? String == now)
                #expect(client.lastEventID == now)
            }
        }
    }

    @Test("a wrong password gets 401 from a watched folder; a lost watcher (server restart) falls back to revalidation and resyncs")
    func lostWatcherResyncs() async throws {
        try await withDovecot(tls: false) { dovecot in
            try await withHarness(dovecot: dovecot, configure: Self.configure) { harness in
                let folder = try await Self.makeFolder(harness, "Watched Lost", messages: 2)
                _ = try await Self.gatewayRows(harness, folder)
                #expect(await Self.watching(harness))
                // A wrong password never reads the watched mirror: the IMAP server refuses it. (On this
                // test's own Dovecot, whose failed-login penalty then slows no other test; RawHTTP as
                // URLSession on Linux waits forever on a 401.)
                let intruder = DovecotUser(name: DovecotUser.alice.name, password: "not-the-password")
                #expect(try await RawHTTP.request(port: harness.port, Self.path(folder) + "/messages?limit=2", user: intruder).status == 401)

                await offCooperativePool { dovecot.kill() }
                #expect(await eventually(timeout: .seconds(10)) { harness.gateway.context.watchers?.watchingCount == 0 },
                        "the folder is no longer watched")
                try await offCooperativePool { try dovecot.restart() }
                let imap = try await harness.imap()
                _ = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "after restart"))
                await imap.logout()
                let raw = try await Self.rawRows(harness, folder)
                // Right after the restart the server backoff may answer 503 with Retry-After until its
                // next probe (about a second): a client retries, so does the test.
                #expect(try await eventually(timeout: .seconds(10)) {
                    try await harness.request(Self.path(folder), headers: ["Cache-Control": "no-cache"]).status == 200
                })
                // Reads revalidate meanwhile (a no-cache read always does), then the watcher is back.
                #expect(try await Self.gatewayRows(harness, folder, headers: ["Cache-Control": "no-cache"]) == raw)
                #expect(await Self.watching(harness), "the watcher reconnected")
                var seen: [UInt32: Set<String>] = [:]
                #expect(try await eventually(timeout: .seconds(10)) {
                    seen = try await Self.gatewayRows(harness, folder)
                    return seen == raw
                }, "gateway \(seen) vs IMAP \(raw)")
            }
        }
    }
}
