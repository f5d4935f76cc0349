import Foundation
@testable import Gateway
import IMAP
import Testing
import TestSupport

@Suite("Message body cache")
struct MessageBodyCacheTests {
    static let alice = Account(user: "alice", password: "secret").key
    static let mallory = Account(user: "alice", password: "guess").key

    static func key(_ uid: UInt32, account: AccountKey = alice, uidValidity: UInt32 = 7) -> MessageBodyCache.Key {
        MessageBodyCache.Key(account: account, folder: Array("INBOX".utf8), uidValidity: uidValidity, uid: UID(uid))
    }

    @Test func keepsWithinItsBudgetDroppingTheLeastRecentlyUsed() {
        let cache = MessageBodyCache(maxBytes: 300, maxMessageBytes: 200)
        cache.store([UInt8](repeating: 1, count: 100), for: Self.key(1))
        cache.store([UInt8](repeating: 2, count: 100), for: Self.key(2))
        cache.store([UInt8](repeating: 3, count: 100), for: Self.key(3))
        #expect(cache.bytes(for: Self.key(1)) == [UInt8](repeating: 1, count: 100), "read: now the most recent")
        cache.store([UInt8](repeating: 4, count: 100), for: Self.key(4))
        #expect(cache.bytes(for: Self.key(2)) == nil, "the least recently used went first")
        #expect(cache.bytes(for: Self.key(1)) != nil)
        #expect(cache.bytes(for: Self.key(4)) != nil)
        #expect(cache.counts.bytes == 300)
    }

    @Test func refusesMessagesOverTheLimitAndEmptyBodies() {
        let cache = MessageBodyCache(maxBytes: 1000, maxMessageBytes: 10)
        cache.store([UInt8](repeating: 0, count: 11), for: Self.key(1))
        cache.store([], for: Self.key(2))
        #expect(cache.bytes(for: Self.key(1)) == nil)
        #expect(cache.bytes(for: Self.key(2)) == nil)
        #expect(cache.counts.entries == 0)
    }

    @Test func neverAnswersAnotherSecretOrAnotherUIDValidity() {
        let cache = MessageBodyCache(maxBytes: 1000, maxMessageBytes: 1000)
        cache.store(Array("mail".utf8), for: Self.key(1))
        #expect(cache.bytes(for: Self.key(1, account: Self.mallory)) == nil, "same user name, other password")
        #expect(cache.bytes(for: Self.key(1, uidValidity: 8)) == nil, "the folder was recreated")
        #expect(cache.bytes(for: Self.key(1)) == Array("mail".utf8))
    }

    @Test func zeroBudgetKeepsNothing() {
        let cache = MessageBodyCache(maxBytes: 0, maxMessageBytes: 1 << 20)
        cache.store(Array("mail".utf8), for: Self.key(1))
        #expect(cache.bytes(for: Self.key(1)) == nil)
    }

    /// Opening a message twice: the same JSON, the second body from the cache (no second
    /// `BODY.PEEK[]`), flags still current (a change made in between shows).
    @Test func openingAMessageTwiceFetchesItsBodyOnce() async throws {
        let harness = try await GatewayHarness.start()
        do {
            let folder = uniqueName("BodyCache")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "cached once")])
            let path = Paths.message(folder, uid: 1)
            let first = try await harness.request(path)
            #expect(first.status == 200)
            #expect(try first.json()["subject"] as? String == "cached once")
            let patched = try await harness.request(path, method: "PATCH", headers: ["Content-Type": "application/json"],
                                                    body: Data(#"{"flags": {"add": ["\\Flagged"]}}"#.utf8))
            #expect(patched.status == 200)
            let second = try await harness.request(path)
            #expect(second.status == 200)
            #expect(try second.json()["subject"] as? String == "cached once")
            #expect((try second.json()["flags"] as? [String])?.contains("\\Flagged") == true, "flags are never cached")
            let counts = harness.gateway.context.bodyCache.counts
            #expect(counts.hits == 1)
            #expect(counts.misses == 1)
            let metrics = try await harness.request("/metrics", user: nil).text
            #expect(metrics.contains(#"body_cache_lookups_total{result="hit"} 1"#))
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
