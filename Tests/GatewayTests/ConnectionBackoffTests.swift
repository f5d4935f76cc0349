import Foundation
@testable import Gateway
import Testing
import TestSupport

/// The backoff's arithmetic and bookkeeping, with the random draw fixed.
@Suite("Connection backoff")
struct ConnectionBackoffTests {
    @Test func fullJitterBelowAnExponentialCeilingNeverUnderTheBaseOrTheAdviceNorOverTheCap() {
        let highest = ConnectionBackoff(base: .seconds(1), cap: .seconds(8), random: { $0.upperBound })
        #expect((1...5).map { highest.delay(after: $0, advised: nil) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8)])
        let lowest = ConnectionBackoff(base: .seconds(1), cap: .seconds(8), random: { $0.lowerBound })
        #expect(lowest.delay(after: 4, advised: nil) == .seconds(1), "at least the base")
        #expect(lowest.delay(after: 1, advised: .seconds(3)) == .seconds(3), "at least what the server advised")
        #expect(lowest.delay(after: 1, advised: .seconds(3600)) == .seconds(8), "never over the cap")
        let middle = ConnectionBackoff(base: .seconds(1), cap: .seconds(300), random: { ($0.lowerBound + $0.upperBound) / 2 })
        #expect(middle.delay(after: 4, advised: nil) == .seconds(4), "a draw between 0 and 2^3 s")
    }

    @Test func throttlingHoldsBackTheAccountRefusalsTheServerAndASuccessEndsBoth() throws {
        let backoff = ConnectionBackoff(base: .seconds(60), cap: .seconds(60))
        backoff.throttled("Alice", advised: .seconds(30))
        #expect(throws: ConnectionBackoffActive.self) { try backoff.check("alice") }
        try backoff.check("bob")
        do {
            try backoff.check("alice")
        } catch {
            #expect(error.reason == .throttled)
            #expect(error.remaining > .seconds(50) && error.remaining <= .seconds(60))
        }
        backoff.refused()
        #expect(throws: ConnectionBackoffActive.self) { try backoff.check("bob") }
        backoff.succeeded("alice")
        try backoff.check("alice")
        try backoff.check("bob")
        let counts = backoff.counts
        #expect(counts.failures == [.throttled: 1, .refused: 1])
        #expect(counts.heldBack == [.throttled: 2, .refused: 1])
    }

    @Test("after a long outage a server backoff still lets one probe through each base interval, and only one")
    func serverBackoffIsHalfOpen() async throws {
        let backoff = ConnectionBackoff(base: .seconds(1), cap: .seconds(300), random: { $0.upperBound })
        for _ in 1...9 { backoff.refused() }  // a long outage: the backoff's end is minutes away
        do {
            try backoff.check("alice")
            Issue.record("a connection went out right after a refusal")
        } catch {
            #expect(error.remaining <= .seconds(1), "Retry-After points at the next probe, not the end of the backoff")
        }
        // Once the base interval has passed, one probe goes out...
        #expect(await eventually(timeout: .seconds(10)) { (try? backoff.check("alice")) != nil })
        // ...and nobody else while it is out.
        #expect(throws: ConnectionBackoffActive.self) { try backoff.check("bob") }
        // The server is back: everyone connects again.
        backoff.succeeded("alice")
        try backoff.check("bob")
    }
}

/// Recorded Gmail and Office 365 throttling answers and a resetting server, replayed through the
/// real gateway over HTTP (`ProviderStandIn`, passing later connections to Dovecot): 503 with
/// `Retry-After`, then no connection attempt at all until the backoff ends, then success.
@Suite("Backoff after throttling and refused connections, over HTTP", .serialized)
struct ConnectionBackoffLiveTests {
    private static let backoff = Duration.seconds(3)

    private func configure(_ standIn: ProviderStandIn) -> (inout GatewayConfiguration) -> Void {
        { configuration in
            configuration.imap = IMAPEndpoint(host: "127.0.0.1", port: standIn.port, security: .none)
            configuration.imapBackoffBase = Self.backoff
            configuration.imapBackoffMax = Self.backoff
        }
    }

    /// `count` requests for /folders at once: their statuses, `Retry-After`s and problem types.
    private func concurrentRequests(_ harness: GatewayHarness, _ count: Int) async throws -> [(Int, Int?, String?)] {
        try await withThrowingTaskGroup(of: (Int, Int?, String?).self) { group in
            for _ in 0..<count {
                group.addTask {
                    let response = try await harness.request("/folders")
                    return (response.status, response.headers["retry-after"].flatMap { Int($0) },
                            try? response.json()["type"] as? String)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test(arguments: [ProviderStandIn.Behavior.gmailThrottled, .office365NotConnected])
    func aThrottledLoginHoldsBackEveryNewConnectionUntilTheBackoffEnds(_ behavior: ProviderStandIn.Behavior) async throws {
        let dovecot = try SharedDovecot.get()
        try await withProviderStandIn(forwardingTo: dovecot.port, { $0 == 1 ? behavior : .forward }) { standIn in
            try await withHarness(configure: configure(standIn)) { harness in
                let first = try await harness.request("/folders")
                #expect(first.status == 503)
                #expect(try first.json()["type"] as? String == Problem.typeBase + "imap-throttled")
                #expect(Int(first.headers["retry-after"] ?? "") ?? 0 >= 1)
                #expect(standIn.accepted == 1)

                let during = try await concurrentRequests(harness, 5)
                #expect(during.allSatisfy { $0.0 == 503 && $0.2 == Problem.typeBase + "imap-throttled" }, "\(during)")
                #expect(during.allSatisfy { (1...3).contains($0.1 ?? 0) }, "Retry-After is what is left of the 3 s: \(during)")
                #expect(standIn.accepted == 1, "no connection attempt during the backoff")

                let served = try await eventually(timeout: .seconds(30), every: .milliseconds(250)) {
                    try await harness.request("/folders").status == 200
                }
                #expect(served)
                #expect(standIn.accepted == 2, "one new connection once the backoff ended")

                let metrics = try Exposition(try await harness.request("/metrics", user: nil).text)
                #expect(metrics[#"imap_connections_refused_total{reason="throttled"}"#] == 1)
                #expect(metrics[#"imap_connections_refused_total{reason="backoff"}"#] ?? 0 >= 5)
                #expect(metrics[#"imap_connection_budget_in_use{purpose="pool"}"#] == 1)
            }
        }
    }

    @Test func aResetConnectionHoldsBackNewConnectionsForEveryAccount() async throws {
        let dovecot = try SharedDovecot.get()
        try await withProviderStandIn(forwardingTo: dovecot.port, { $0 == 1 ? .reset : .forward }) { standIn in
            try await withHarness(configure: configure(standIn)) { harness in
                let first = try await harness.request("/folders")
                #expect(first.status == 502)
                #expect(standIn.accepted == 1)

                let bob = try await harness.request("/folders", user: .bob)
                #expect(bob.status == 503)
                #expect(try bob.json()["type"] as? String == Problem.typeBase + "imap-backoff")
                #expect(bob.headers["retry-after"] != nil)
                let during = try await concurrentRequests(harness, 5)
                #expect(during.allSatisfy { $0.0 == 503 && $0.1 != nil }, "\(during)")
                #expect(standIn.accepted == 1, "no connection attempt during the backoff")

                let served = try await eventually(timeout: .seconds(30), every: .milliseconds(250)) {
                    try await harness.request("/folders").status == 200
                }
                #expect(served)
                #expect(standIn.accepted == 2)
                #expect(try await harness.request("/folders", user: .bob).status == 200, "a success ended the server's backoff")
            }
        }
    }
}
