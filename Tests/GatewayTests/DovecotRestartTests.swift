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
}
