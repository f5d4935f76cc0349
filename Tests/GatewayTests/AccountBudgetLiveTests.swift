import Foundation
@testable import Gateway
import Testing
import TestSupport

/// The account's one connection budget against a real Dovecot, over HTTP: pooled sessions and
/// event streams draw from it together.
@Suite("Account connection budget against Dovecot", .serialized)
struct AccountBudgetLiveTests {
    @Test func poolAndEventStreamsShareOneBudgetPerAccount() async throws {
        try await withHarness(configure: { configuration in
            // Streams with IMAP sessions of their own. With the mirror on, streams of one folder
            // share its watcher's one connection (MirrorWatcherTests.streamsShareTheWatcher).
            configuration.mirrorEnabled = false
            configuration.accountMaxConnections = 2
            configuration.pool.perAccount = 3
            configuration.events.perAccount = 3
            configuration.pool.acquireTimeout = .seconds(1)
            configuration.events.heartbeat = .milliseconds(200)
        }) { harness in
            let budget = harness.gateway.context.connectionBudget
            let folders = try await harness.request("/folders")
            #expect(folders.status == 200)
            #expect(budget.inUse(by: "alice") == [.pool: 1])

            let first = try await SSEClient.open(port: harness.port, "/folders/INBOX/events")
            defer { first.close() }
            _ = try await first.next("ready")
            // The second stream needs the pool's idle session's place: the pool logs it out.
            let second = try await SSEClient.open(port: harness.port, "/folders/INBOX/events")
            defer { second.close() }
            #expect(second.status == 200)
            _ = try await second.next("ready")
            #expect(await eventually(timeout: .seconds(10)) { budget.inUse(by: "alice") == [.events: 2] })

            // Both connections are the streams': a request gets 503 at once, not after the pool's wait.
            let clock = ContinuousClock()
            let started = clock.now
            let refused = try await harness.request("/folders")
            #expect(refused.status == 503)
            #expect(clock.now - started < .seconds(1))
            #expect(try refused.json()["type"] as? String == Problem.typeBase + "connection-budget-exhausted")
            #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
            #expect(!refused.text.contains("alice"))

            // A third stream waits for a slot up to the pool's wait, then gets the same 503.
            let third = try await RawHTTP.request(port: harness.port, "/folders/INBOX/events", user: .alice)
            #expect(third.status == 503)
            #expect(third.headers["retry-after"] != nil)

            let metrics = try Exposition(try await harness.request("/metrics", user: nil).text)
            #expect(metrics[#"imap_connection_budget_in_use{purpose="events"}"#] == 2)
            #expect(metrics[#"imap_connection_budget_in_use{purpose="pool"}"#] == 0)
            #expect(metrics[#"imap_connections_refused_total{reason="budget"}"#] == 2, "the request and the third stream")
            #expect(!metrics.text.contains("alice"), "no user names in metrics")

            // Another account has a budget of its own.
            #expect(try await harness.request("/folders", user: .bob).status == 200)

            // A stream ends (noticed at its next heartbeat): requests get a session again.
            first.close()
            let served = try await eventually(timeout: .seconds(30)) {
                try await harness.request("/folders").status == 200
            }
            #expect(served)
            #expect(budget.inUse(by: "alice") == [.pool: 1, .events: 1])
        }
    }
}
