import Foundation
import Gateway
import IMAP
import IMAPClient
import Logging
import Testing
import TestSupport

/// Issue 13, failing servers: Dovecot killed (SIGKILL, as if the machine vanished) and started
/// again on the same port and mail directory, with the gateway running in front of it.
@Suite("Dovecot killed and restarted under the gateway", .serialized)
struct DovecotRestartTests {
    /// A retry after the server dropped a session never takes another pooled session opened
    /// before the failure: with two idle sessions on the folder, both dead after the restart, the
    /// read must still answer 200 (it was 502 when the retry took the second stale session).
    @Test func aReadAfterARestartIsRetriedOnANewSessionNotAStaleOne() async throws {
        let dovecot = try Dovecot.start(tls: false)
        defer { dovecot.stop() }
        let folder = "Stale"
        try dovecot.deliver(user: "alice", folder: folder, messages: (1...3).map { TestMessages.simple(subject: "s\($0)") })
        try await withHarness(dovecot: dovecot, configure: {
            $0.pool.perAccount = 2
            // No NOOP before reuse: the stale sessions are found by using them.
            $0.pool.noopAfterIdle = .seconds(3600)
            // The pool's retry alone: a folder watcher reconnecting while the server is down would
            // start the server backoff, and the read could then get the documented 503 with
            // Retry-After until the next probe (killAndRestartUnderLoadLosesNothing covers that).
            $0.mirrorEnabled = false
        }) { harness in
            let pool = harness.gateway.context.pool
            // Two sessions with the folder selected, both idle: concurrent reads until the pool has two.
            let two = try await eventually(timeout: .seconds(30)) {
                async let first = harness.request(Paths.messages(folder))
                async let second = harness.request(Paths.messages(folder))
                _ = try await (first, second)
                let counts = await pool.counts
                return counts.open == 2 && counts.busy == 0
            }
            try #require(two, "the pool never held two idle sessions")

            dovecot.kill()
            try dovecot.restart()

            let read = try await harness.request(Paths.messages(folder))
            #expect(read.status == 200, "\(read.text)")
            #expect(await pool.counts.open == 1, "the stale sessions were not dropped")
        }
    }

    /// One request of the load: when it was sent and answered (seconds since the load began), its status.
    struct Outcome: Sendable {
        var kind: String
        var start: Double
        var end: Double
        var status: Int
    }

    /// Reads, moves and uploads through the gateway while Dovecot is killed and restarted: no
    /// request outlives its deadline, the first request sent after the restart that answers 200
    /// does so within 2 s of it, and no message is lost or duplicated (Message-IDs counted across
    /// all folders with a raw IMAP read at the end). Prints the figures.
    @Test func killAndRestartUnderLoadLosesNothing() async throws {
        let dovecot = try Dovecot.start(tls: false)
        defer { dovecot.stop() }
        let source = "Load", target = "LoadMoved"
        let initial = (1...30).map { "<load-\($0)@example.com>" }
        try dovecot.deliver(user: "alice", folder: source, messages: initial.map { TestMessages.simple(subject: "load", messageID: $0) })
        try dovecot.deliver(user: "alice", folder: target, messages: [])
        let uploaded = LockedValue<[String]>([])
        let outcomes = LockedValue<[Outcome]>([])
        let stop = LockedValue(false)
        let began = ContinuousClock.now
        let seconds: @Sendable () -> Double = { (ContinuousClock.now - began) / .seconds(1) }

        try await withHarness(dovecot: dovecot, configure: {
            $0.imapCommandTimeout = .seconds(5)
            // The backoff after refused connections keeps its defaults (1 s base, 300 s cap): it
            // is half open, one probe connection per base interval finds the restarted server,
            // so the 2 s bound holds however long the backoff grew during the outage.
        }) { harness in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var round = 0
                        while !stop.withLock({ $0 }) {
                            round += 1
                            let start = seconds()
                            let kind: String
                            let status: Int
                            switch worker % 3 {
                            case 0:
                                kind = "list"
                                status = try await harness.request(Paths.messages(worker % 2 == 0 ? source : target) + "?limit=20").status
                            case 1:
                                // Move the newest message of one folder to the other.
                                kind = "move"
                                let (from, to) = round % 2 == 0 ? (source, target) : (target, source)
                                let page = try await harness.request(Paths.messages(from) + "?limit=1&fields=uid")
                                let uid = ((try? page.json())?["messages"] as? [[String: Any]])?.first?["uid"] as? Int
                                if let uid {
                                    status = try await harness.request("POST", Paths.message(from, uid: UInt32(uid)) + "/move",
                                                                       body: jsonBody(["to": to])).status
                                } else {
                                    status = page.status
                                }
                            default:
                                kind = "upload"
                                let id = "<upload-\(worker)-\(round)@example.com>"
                                let response = try await harness.request(
                                    "POST", Paths.messages(source), headers: ["Content-Type": "message/rfc822"],
                                    body: Data(TestMessages.simple(subject: "up", messageID: id)))
                                status = response.status
                                if status == 201 { uploaded.withLock { $0.append(id) } }
                            }
                            let outcome = Outcome(kind: kind, start: start, end: seconds(), status: status)
                            outcomes.withLock { $0.append(outcome) }
                        }
                    }
                }
                // Load first, then the kill, some failed requests, the restart, answers again.
                let loaded = await eventually { outcomes.withLock { $0.filter { $0.status / 100 == 2 }.count } >= 30 }
                let killedAt = seconds()
                dovecot.kill()
                let failing = await eventually { outcomes.withLock { $0.filter { $0.start > killedAt && $0.status >= 500 }.count } >= 6 }
                try dovecot.restart()
                let restartedAt = seconds()
                let back = await eventually(timeout: .seconds(30)) {
                    outcomes.withLock { $0.contains { $0.start >= restartedAt && $0.status / 100 == 2 } }
                }
                let settled = await eventually { outcomes.withLock { $0.filter { $0.start >= restartedAt && $0.status / 100 == 2 }.count } >= 30 }
                stop.withLock { $0 = true }
                try await group.waitForAll()

                let all = outcomes.withLock { $0 }
                let firstAnswer = all.filter { $0.start >= restartedAt && $0.status / 100 == 2 }.map(\.end).min() ?? .infinity
                let longest = all.map { $0.end - $0.start }.max() ?? 0
                let statuses = Dictionary(grouping: all, by: \.status).mapValues(\.count).sorted { $0.key < $1.key }
                print("kill/restart under load: \(all.count) requests \(statuses.map { "\($0.key)×\($0.value)" }.joined(separator: " ")); "
                      + "Dovecot down \(String(format: "%.2f", restartedAt - killedAt)) s; restart → first 2xx \(String(format: "%.3f", firstAnswer - restartedAt)) s; "
                      + "longest request \(String(format: "%.2f", longest)) s")
                #expect(loaded && failing && back && settled, "loaded \(loaded), failing \(failing), back \(back), settled \(settled)")
                #expect(firstAnswer - restartedAt < 2, "the first answer after the restart took \(firstAnswer - restartedAt) s")
                // --imap-timeout 5 s: no request may hang much past it (connect, greeting, command).
                #expect(longest < 15, "a request took \(longest) s")
                // Other client errors would mean the load itself is wrong (the two movers race for
                // the same newest message: 404/409); 5xx are expected while Dovecot is down.
                #expect(!all.contains { $0.status / 100 == 4 && $0.status != 404 && $0.status != 409 }, "\(statuses)")
            }
        }

        // Every Message-ID once, across all folders, read over raw IMAP.
        let imap = try await IMAPConnection.connect(
            IMAPServerConfiguration(host: dovecot.host, port: dovecot.port, tlsMode: .none), logger: Logger(label: "restart-count"))
        try await imap.authenticate(.password(user: DovecotUser.alice.name, password: DovecotUser.alice.password))
        var found: [String: Int] = [:]
        var foundIn: [String: [String]] = [:]
        for folder in try await imap.list() {
            let state = try await imap.select(folder.name, readOnly: true)
            guard state.exists > 0 else { continue }
            let all = try SequenceNumberSet(parsing: "1:\(state.exists)")
            for response in try await imap.fetch(all, [.envelope]) {
                if let id = response.envelope?.messageID {
                    found[id, default: 0] += 1
                    foundIn[id, default: []].append(folder.name.description)
                }
            }
        }
        await imap.logout()
        let expected = initial + uploaded.withLock { $0 }
        let lost = expected.filter { found[$0] == nil }
        let duplicated = found.filter { $0.value > 1 }.map(\.key)
        print("kill/restart under load: \(expected.count) messages expected (\(uploaded.withLock { $0.count }) uploads answered 201), "
              + "\(found.count) distinct found; lost \(lost.count), duplicated \(duplicated.count)")
        #expect(lost.isEmpty, "lost: \(lost)")
        // Duplicates came from the two movers moving the same message at once (Dovecot copies
        // before it expunges); moves out of a folder now run one at a time (ExclusiveMoves).
        #expect(duplicated.isEmpty, "duplicated: \(duplicated.map { "\($0) in \(foundIn[$0] ?? [])" })")
    }
}
