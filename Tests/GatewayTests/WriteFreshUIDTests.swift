import Foundation
@testable import Gateway
import IMAP
import IMAPClient
import Testing
import TestSupport

/// A pooled session that has a folder selected has not heard of mail added by others until the
/// server tells it; IMAP servers answer OK to a UID STORE of a UID the session does not know yet
/// and store nothing. A PATCH must still change the message, never answer 200 for nothing.
@Suite("Writes to messages the pooled session has not seen yet", .serialized)
struct WriteFreshUIDTests {
    @Test func patchOfAMessageAppendedElsewhereStoresTheFlags() async throws {
        let harness = try await GatewayHarness.start { $0.pool.perAccount = 1 }
        do {
            let folder = uniqueName("FreshUID")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "old")])
            let imap = try await harness.imap()
            for round in 1...5 {
                // The one pooled session SELECTs the folder (a write) and keeps it selected.
                let primed = try await harness.request(Paths.message(folder, uid: 1), method: "PATCH",
                                                       headers: ["Content-Type": "application/json"],
                                                       body: jsonBody(["flags": ["add": ["\\Seen"]]]))
                #expect(primed.status == 200)
                // Another client adds a message the pooled session has not been told of.
                let appended = try #require(try await imap.append(
                    to: MailboxName(folder), message: TestMessages.simple(subject: "new \(round)")))
                let uid = appended.uid.rawValue
                let patched = try await harness.request(Paths.message(folder, uid: uid), method: "PATCH",
                                                        headers: ["Content-Type": "application/json"],
                                                        body: jsonBody(["flags": ["add": ["\\Flagged"]]]))
                #expect(patched.status == 200, "round \(round): \(patched.text)")
                #expect((try patched.json()["flags"] as? [String])?.contains("\\Flagged") == true, "round \(round): \(patched.text)")
                // What the server really has.
                _ = try await imap.select(MailboxName(folder), readOnly: true)
                let stored = try await imap.uidFetch(UIDSet([appended.uid]), [.flags]).first { $0.uid == appended.uid }
                #expect(stored?.flags?.contains(.flagged) == true, "round \(round): the server has \(String(describing: stored?.flags))")
            }
            await imap.logout()
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

@Suite("Flag expectations")
struct FlagExpectationTests {
    @Test(arguments: [
        ([StoreOperation.add([.flagged])], ["\\Flagged", "\\Recent"], true),
        ([.add([.flagged])], ["\\Seen"], false),
        ([.add([Flag("$Label1")])], ["$label1"], true),
        ([.remove([.seen])], ["\\Seen"], false),
        ([.remove([.seen])], [], true),
        ([.add([.seen]), .remove([.seen])], [], true),
        ([.replace([.answered])], ["\\Answered", "\\Recent"], true),
        ([.replace([.answered])], ["\\Answered", "\\Seen"], false),
        ([.replace([.answered]), .add([.seen])], ["\\Answered", "\\Seen"], true),
        ([.replace([])], [], true),
    ] as [([StoreOperation], [String], Bool)])
    func metOrNot(changes: [StoreOperation], flags: [String], met: Bool) {
        #expect(FlagExpectation(changes).isMet(by: flags.map(Flag.init)) == met)
    }
}
