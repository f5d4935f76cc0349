import Foundation
import Gateway
import IMAP
import IMAPClient
import Testing
import TestSupport

/// The UIDs of `folder`, ascending, as IMAP reports them.
func folderUIDs(_ harness: GatewayHarness, _ folder: String) async throws -> [UInt32] {
    let imap = try await harness.imap()
    do {
        _ = try await imap.select(MailboxName(folder), readOnly: true)
        let uids = try await imap.uidSearch(.all).map(\.rawValue).sorted()
        await imap.logout()
        return uids
    } catch {
        await imap.logout()
        throw error
    }
}

func jsonBody(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

@Suite("Writing messages", .serialized)
struct WriteMessageTests {
    @Test func flagsAddRemoveAndSet() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Flags")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "flag me")])
            let uid = try #require(try await folderUIDs(harness, folder).first)
            let path = Paths.message(folder, uid: uid)

            let added = try await harness.request(path, method: "PATCH", headers: ["Content-Type": "application/json"],
                                                  body: jsonBody(["flags": ["add": ["\\Flagged", "$Label1"]]]))
            #expect(added.status == 200, "\(added.text)")
            let addedFlags = Set(try added.json()["flags"] as? [String] ?? [])
            #expect(addedFlags.isSuperset(of: ["\\Flagged", "$Label1"]))
            #expect(try added.json()["uid"] as? Int == Int(uid))

            let both = try await harness.request(path, method: "PATCH",
                                                 body: jsonBody(["flags": ["add": ["\\Seen"], "remove": ["$Label1"]]]))
            #expect(both.status == 200)
            let bothFlags = Set(try both.json()["flags"] as? [String] ?? [])
            #expect(bothFlags.contains("\\Seen") && bothFlags.contains("\\Flagged") && !bothFlags.contains("$Label1"))

            let set = try await harness.request(path, method: "PATCH", body: jsonBody(["flags": ["set": ["\\Answered"]]]))
            #expect(withoutRecent(try set.json()["flags"]) == ["\\Answered"])

            // What the server has, read back through the read side.
            let message = try await harness.request(path)
            #expect(withoutRecent(try message.json()["flags"]) == ["\\Answered"])
        }
    }

    @Test func flagErrors() async throws {
        try await withHarness { harness in
            let folder = uniqueName("FlagErrors")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "x")])
            let uid = try #require(try await folderUIDs(harness, folder).first)

            let missing = try await harness.request(Paths.message(folder, uid: uid + 100), method: "PATCH",
                                                    body: jsonBody(["flags": ["add": ["\\Seen"]]]))
            #expect(missing.status == 404)
            #expect(missing.headers["content-type"]?.hasPrefix("application/problem+json") == true)

            for bad in [["add": ["\\Recent"]], ["add": ["bad flag"]], ["add": ["x)"]], ["set": ["a"], "add": ["b"]], [:]] as [[String: [String]]] {
                let response = try await harness.request(Paths.message(folder, uid: uid), method: "PATCH", body: jsonBody(["flags": bad]))
                #expect(response.status == 400, "\(bad) → \(response.status) \(response.text)")
            }
            let notJSON = try await harness.request(Paths.message(folder, uid: uid), method: "PATCH", body: Data("{flags".utf8))
            #expect(notJSON.status == 400)
            #expect(try notJSON.json()["type"] as? String == "https://imap-gateway.dev/problems/bad-body")
        }
    }

    @Test func moveAndCopyReportNewUIDs() async throws {
        try await withHarness { harness in
            let source = uniqueName("MoveFrom")
            let target = uniqueName("Move To ü")
            try harness.dovecot.deliver(user: "alice", folder: source, messages: [
                TestMessages.simple(subject: "move me"), TestMessages.simple(subject: "copy me"),
            ])
            let imap = try await harness.imap()
            try await imap.create(MailboxName(target))
            await imap.logout()
            let uids = try await folderUIDs(harness, source)

            let moved = try await harness.request(Paths.message(source, uid: uids[0]) + "/move", method: "POST", body: jsonBody(["to": target]))
            #expect(moved.status == 200, "\(moved.text)")
            let movedJSON = try moved.json()
            #expect(movedJSON["folder"] as? String == target)
            let newUID = try #require(movedJSON["uid"] as? Int)
            #expect(moved.headers["location"] == Paths.message(target, uid: UInt32(newUID)))
            let atTarget = try await harness.request(Paths.message(target, uid: UInt32(newUID)))
            #expect(try atTarget.json()["subject"] as? String == "move me")
            #expect(try await harness.request(Paths.message(source, uid: uids[0])).status == 404)

            let copied = try await harness.request(Paths.message(source, uid: uids[1]) + "/copy", method: "POST", body: jsonBody(["to": target]))
            #expect(copied.status == 200)
            #expect(try await harness.request(Paths.message(source, uid: uids[1])).status == 200)
            #expect(try await folderUIDs(harness, target).count == 2)

            let noFolder = try await harness.request(Paths.message(source, uid: uids[1]) + "/move", method: "POST",
                                                     body: jsonBody(["to": uniqueName("Nowhere")]))
            #expect(noFolder.status == 404)
            let noMessage = try await harness.request(Paths.message(source, uid: 999_999) + "/move", method: "POST", body: jsonBody(["to": target]))
            #expect(noMessage.status == 404)
        }
    }

    @Test func deleteMovesToTrashOrExpungesOnlyThatUID() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Delete")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.simple(subject: "to trash"), TestMessages.simple(subject: "expunge me"),
                TestMessages.simple(subject: "someone else flagged me deleted"),
            ])
            let uids = try await folderUIDs(harness, folder)
            // Another client marks the third message \Deleted without expunging it.
            let other = try await harness.imap()
            _ = try await other.select(MailboxName(folder), readOnly: false)
            _ = try await other.uidStore(UIDSet([UID(uids[2])]), .add([.deleted]))

            let trashBefore = try await folderUIDs(harness, "Trash").count
            let toTrash = try await harness.request(Paths.message(folder, uid: uids[0]), method: "DELETE")
            #expect(toTrash.status == 204, "\(toTrash.text)")
            #expect(try await folderUIDs(harness, "Trash").count == trashBefore + 1)

            let permanent = try await harness.request(Paths.message(folder, uid: uids[1]) + "?permanent=true", method: "DELETE")
            #expect(permanent.status == 204)
            // Only the asked-for UID is gone: the message someone else flagged \Deleted is still there.
            #expect(try await folderUIDs(harness, folder) == [uids[2]])
            await other.logout()

            let again = try await harness.request(Paths.message(folder, uid: uids[1]) + "?permanent=true", method: "DELETE")
            #expect(again.status == 404)
        }
    }

    @Test func concurrentFlagChangesAllTakeEffect() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Concurrent")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "busy")])
            let uid = try #require(try await folderUIDs(harness, folder).first)
            let keywords = (1...20).map { "$K\($0)" }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for keyword in keywords {
                    group.addTask {
                        try await harness.request(Paths.message(folder, uid: uid), method: "PATCH",
                                                  body: jsonBody(["flags": ["add": [keyword]]])).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
            let message = try await harness.request(Paths.message(folder, uid: uid))
            let flags = Set(try message.json()["flags"] as? [String] ?? [])
            #expect(flags.isSuperset(of: keywords), "missing \(Set(keywords).subtracting(flags))")
        }
    }

    @Test func batchReportsEachUID() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Batch")
            let archive = uniqueName("BatchArchive")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: (1...4).map { TestMessages.simple(subject: "b\($0)") })
            let imap = try await harness.imap()
            try await imap.create(MailboxName(archive))
            await imap.logout()
            let uids = try await folderUIDs(harness, folder)
            let batchPath = Paths.messages(folder) + "/batch"

            let flagged = try await harness.request(batchPath, method: "POST", body: jsonBody([
                "uids": [uids[0], uids[1], 999_999], "action": "flags", "flags": ["add": ["\\Seen"]],
            ]))
            #expect(flagged.status == 200, "\(flagged.text)")
            let results = try flagged.json()["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["status"] as? Int } == [200, 200, 404])
            #expect((results[0]["flags"] as? [String])?.contains("\\Seen") == true)

            let moved = try await harness.request(batchPath, method: "POST", body: jsonBody([
                "uids": [uids[2], uids[3]], "action": "move", "to": archive,
            ]))
            let moveResults = try moved.json()["results"] as? [[String: Any]] ?? []
            #expect(moveResults.map { $0["status"] as? Int } == [200, 200])
            #expect(moveResults.allSatisfy { $0["newUid"] is Int })
            #expect(try await folderUIDs(harness, archive).count == 2)
            #expect(try await folderUIDs(harness, folder) == [uids[0], uids[1]])

            let deleted = try await harness.request(batchPath, method: "POST", body: jsonBody([
                "uids": [uids[0], uids[1]], "action": "delete", "permanent": true,
            ]))
            #expect((try deleted.json()["results"] as? [[String: Any]] ?? []).map { $0["status"] as? Int } == [204, 204])
            #expect(try await folderUIDs(harness, folder).isEmpty)

            for bad in [["uids": [], "action": "flags"], ["uids": [1], "action": "explode"], ["uids": [1], "action": "move"],
                        ["uids": [0], "action": "delete"], ["uids": Array(1...1001), "action": "delete"]] as [[String: Any]] {
                let response = try await harness.request(batchPath, method: "POST", body: jsonBody(bad))
                #expect(response.status == 400, "\(bad["action"] ?? "") → \(response.status)")
            }
        }
    }
}

/// A JSON flag list as a set, without `\Recent`: the server adds that per session, so it says
/// nothing about what a write did.
func withoutRecent(_ value: Any?) -> Set<String> {
    Set((value as? [String] ?? []).filter { $0 != "\\Recent" })
}
