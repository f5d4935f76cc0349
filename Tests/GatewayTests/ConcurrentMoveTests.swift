import Foundation
import Gateway
import IMAPClient
import Testing
import TestSupport

/// Two clients moving the same message at once: one move, one 404, and the message once in the
/// destination (Dovecot copies before it expunges, so two sessions each sending UID MOVE could
/// both copy it).
@Suite("Concurrent moves of the same message")
struct ConcurrentMoveTests {
    @Test func twoMovesOfOneMessageMoveItOnce() async throws {
        try await withHarness(configure: { $0.pool.perAccount = 4 }) { harness in
            let source = uniqueName("MoveRace"), target = uniqueName("MoveRaceTo")
            let count = 12
            try harness.dovecot.deliver(user: "alice", folder: source,
                                        messages: (1...count).map { TestMessages.simple(subject: "race \($0)", messageID: "<race-\($0)@example.com>") })
            try harness.dovecot.deliver(user: "alice", folder: target, messages: [])
            // Warm several pooled sessions on the source, so the moves run side by side.
            _ = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await harness.request(Paths.messages(source) + "?limit=1").status } }
                return try await group.reduce(0) { $0 + $1 }
            }
            var statuses: [Int: Int] = [:]
            for uid in 1...count {
                let pair = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            try await harness.request("POST", Paths.message(source, uid: UInt32(uid)) + "/move",
                                                      body: jsonBody(["to": target])).status
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                for status in pair { statuses[status, default: 0] += 1 }
                #expect(pair.sorted() == [200, 404], "UID \(uid): \(pair)")
            }
            let imap = try await harness.imap()
            let moved = try await imap.select(MailboxName(target), readOnly: true)
            let left = try await imap.select(MailboxName(source), readOnly: true)
            await imap.logout()
            #expect(moved.exists == count, "each message once in the destination (\(statuses))")
            #expect(left.exists == 0)
        }
    }
}
