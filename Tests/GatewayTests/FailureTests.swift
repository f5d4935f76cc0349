import Foundation
@testable import Gateway
import IMAPClient
import Testing
import TestSupport

@Suite("Failures below the gateway", .serialized)
struct FailureTests {
    @Test func imapServerStoppedMidTestGives502() async throws {
        try await withDovecot(tls: false) { dovecot in
            try await withHarness(dovecot: dovecot) { harness in
                #expect(try await harness.request("/folders").status == 200)
                dovecot.stop()
                let response = try await harness.request("/folders")
                #expect(response.status == 502)
                let problem = try response.json()
                #expect(problem["type"] as? String == "https://imap-gateway.dev/problems/imap-unavailable")
                #expect(!response.text.contains(DovecotUser.alice.password))
                #expect(try await harness.request("/ready", user: nil).status == 503)

                // Back up: the pool drops the dead sessions and serves again.
                try dovecot.restart()
                #expect(try await eventually { try await harness.request("/folders").status == 200 })
            }
        }
    }

    @Test func exhaustedPoolGives503WithRetryAfter() async throws {
        try await withHarness(configure: {
            $0.pool.perAccount = 1
            $0.pool.acquireTimeout = .milliseconds(500)
        }) { harness in
            let context = harness.gateway.context
            let caller = Caller(account: Account(user: DovecotUser.alice.name, password: DovecotUser.alice.password), client: "test")
            let release = AsyncStream<Void>.makeStream()
            // Holds alice's only session until told to let go.
            let holder = Task {
                try await context.withSession(caller, access: .read) { _ in
                    for await _ in release.stream { break }
                }
            }
            #expect(await eventually { await context.pool.counts.busy == 1 })
            let refused = try await harness.request("/folders")
            #expect(refused.status == 503)
            #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
            #expect(try refused.json()["type"] as? String == "https://imap-gateway.dev/problems/pool-exhausted")
            // Bob has his own sessions.
            #expect(try await harness.request("/folders", user: .bob).status == 200)
            release.continuation.yield()
            try await holder.value
            #expect(try await harness.request("/folders").status == 200)
        }
    }

    @Test func aStreamingDownloadHoldsItsSessionAndOthersWait() async throws {
        try await withHarness(configure: {
            $0.pool.perAccount = 1
            $0.pool.acquireTimeout = .seconds(30)
            $0.streamChunkBytes = 16 * 1024
        }) { harness in
            let folder = uniqueName("Held")
            let message = TestMessages.withAttachment(DownloadTests.noise(2_000_000), filename: "big.bin")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [message])
            // Both requests share one session in turn: neither fails, and the bytes are whole.
            async let download = harness.request(Paths.message(folder, uid: 1) + "/raw")
            async let listing = harness.request(Paths.messages(folder))
            let (raw, list) = try await (download, listing)
            #expect(Array(raw.body) == message)
            #expect(list.status == 200)
            #expect(await harness.gateway.context.pool.counts.open == 1)
        }
    }

    @Test func recreatedFolderMakesTheCursorA409() async throws {
        // The pooled session's NOOP sees the new folder at once. With the mirror on, a watched
        // folder's recreation shows within --mirror-watch-recheck (FolderConsistencyTests).
        try await withHarness(configure: { $0.mirrorEnabled = false }) { harness in
            let folder = uniqueName("Reborn")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: (1...5).map { TestMessages.simple(subject: "m\($0)") })
            let first = try await harness.request(Paths.messages(folder) + "?limit=2").json()
            let cursor = try #require(first["nextCursor"] as? String)

            let imap = try await harness.imap()
            try await imap.delete(MailboxName(folder))
            try await imap.create(MailboxName(folder))
            await imap.logout()
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: (1...5).map { TestMessages.simple(subject: "n\($0)") })

            let stale = try await harness.request(Paths.messages(folder) + "?limit=2&cursor=" + cursor)
            #expect(stale.status == 409)
            let problem = try stale.json()
            #expect(problem["type"] as? String == "https://imap-gateway.dev/problems/uidvalidity-changed")
        }
    }
}
