import Foundation
import Gateway
import IMAP
import IMAPClient
import TestSupport
import Testing

/// Writes through the gateway update the folder mirror when their tagged OK arrives, before any
/// read revalidates it: what the writer reads back from a mirror that is not revalidated (a
/// watched folder) already shows the write. Checked on the mirror itself right after each write,
/// then through a page, against Dovecot.
@Suite("Folder mirror: writes update it", .serialized)
struct MirrorWriteTests {
    static let user = DovecotUser.alice

    static func mirror(_ harness: GatewayHarness, _ folder: String) -> FolderMirror? {
        harness.gateway.context.mirrors?.store.read(MirrorKey(account: user.name, folder: folder)) { $0 }
    }

    static func patch(_ harness: GatewayHarness, _ folder: String, uid: Int, _ flags: [String: [String]]) async throws -> HTTPResult {
        try await harness.request("\(MirrorRouteTests.path(folder))/messages/\(uid)", method: "PATCH",
                                  headers: ["Content-Type": "application/json"], body: try jsonBody(["flags": flags]))
    }

    @Test("upload, PATCH and GET in a loop through different pooled sessions: the mirror has each change before any read")
    func uploadPatchRead() async throws {
        try await withHarness(configure: MirrorRouteTests.configure(ignoring: [])) { harness in
            let folder = uniqueName("MirrorWrites")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            let path = MirrorRouteTests.path(folder)
            _ = try await MirrorRouteTests.gatewayRows(harness, folder)
            for round in 0..<5 {
                let upload = try await harness.request(path + "/messages", method: "POST", headers: ["Content-Type": "message/rfc822"],
                                                       body: Data(TestMessages.simple(subject: "write \(round)")))
                #expect(upload.status == 201, "\(upload.text)")
                let uid = try #require(try upload.json()["uid"] as? Int)
                // The row is not in the upload's answer: the mirror awaits it, so a read revalidates,
                // unless the folder's watcher already synced it (it hears of the APPEND in IDLE).
                let awaiting = try #require(Self.mirror(harness, folder))
                let synced = awaiting.message(UID(UInt32(uid))) != nil && awaiting.isCurrentForReads
                #expect(synced || (awaiting.awaitedUID == UID(UInt32(uid)) && !awaiting.isCurrentForReads),
                        "round \(round): the mirror awaits the uploaded UID \(uid), not \(String(describing: awaiting.awaitedUID))")
                let page = try await MirrorRouteTests.gatewayRows(harness, folder)
                #expect(page.rows[UInt32(uid)] == [], "round \(round): the upload is listed")
                #expect(Self.mirror(harness, folder)?.isCurrentForReads == true, "the read's sync ended the wait")

                let patch = try await Self.patch(harness, folder, uid: uid, ["add": ["\\Flagged", "$Round\(round)"]])
                #expect(patch.status == 200, "\(patch.text)")
                // Before any read: the flags the STORE reported are in the mirror.
                let row = Self.mirror(harness, folder)?.message(UID(UInt32(uid)))
                #expect(Set(row?.flags ?? []) == ["\\Flagged", "$Round\(round)"], "round \(round): the PATCH is in the mirror at once")
                let read = try await MirrorRouteTests.gatewayRows(harness, folder)
                #expect(read.rows[UInt32(uid)] == ["\\Flagged", "$Round\(round)"], "round \(round): and on the page")
                #expect(read.rows == (try await MirrorRouteTests.rawRows(imap, folder)), "round \(round): the page equals raw IMAP")
            }
            await imap.logout()
        }
    }

    @Test("PATCH of a UID that does not exist is 404 and leaves the mirror alone")
    func patchMissingUID() async throws {
        try await withHarness(configure: MirrorRouteTests.configure(ignoring: [])) { harness in
            let folder = uniqueName("MirrorWrite404")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            _ = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "only"))
            let before = try await MirrorRouteTests.gatewayRows(harness, folder)
            let missing = try await Self.patch(harness, folder, uid: 4242, ["add": ["\\Seen"]])
            #expect(missing.status == 404, "\(missing.text)")
            #expect(Self.mirror(harness, folder)?.state.description == before.state, "nothing changed in the mirror")

            // The mirror's figures in /metrics.
            let metrics = try await harness.request("/metrics", user: nil).text
            let lines = Set(metrics.split(separator: "\n").map(String.init))
            #expect(lines.contains("mirror_folders 1"), "\(metrics)")
            #expect(lines.contains("mirror_messages 1"))
            #expect(lines.contains("mirror_syncs_total{kind=\"full\"} 1"), "one fill")
            #expect(lines.contains("mirror_reads_total{result=\"hit\"} 1"), "the page was cut from the mirror")
            #expect(lines.contains { $0.hasPrefix("mirror_bytes ") && $0 != "mirror_bytes 0" })
            await imap.logout()
        }
    }

    @Test("delete, expunge, move and batch flags reach the source mirror at once; a move's destination awaits its message")
    func removals() async throws {
        try await withHarness(configure: MirrorRouteTests.configure(ignoring: [])) { harness in
            let folder = uniqueName("MirrorWriteSrc")
            let target = uniqueName("MirrorWriteDst")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            try await imap.create(MailboxName(target))
            for index in 0..<5 {
                _ = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "m\(index)"))
            }
            let uids = try await MirrorRouteTests.gatewayRows(harness, folder).rows.keys.sorted().map(Int.init)
            _ = try await MirrorRouteTests.gatewayRows(harness, target)
            let path = MirrorRouteTests.path(folder)

            let expunge = try await harness.request("\(path)/messages/\(uids[0])?permanent=true", method: "DELETE")
            #expect(expunge.status == 204, "\(expunge.text)")
            #expect(Self.mirror(harness, folder)?.message(UID(UInt32(uids[0]))) == nil, "expunged: gone from the mirror at once")

            let move = try await harness.request("\(path)/messages/\(uids[1])/move", method: "POST",
                                                 headers: ["Content-Type": "application/json"], body: try jsonBody(["to": target]))
            #expect(move.status == 200, "\(move.text)")
            let newUID = try #require(try move.json()["uid"] as? Int)
            #expect(Self.mirror(harness, folder)?.message(UID(UInt32(uids[1]))) == nil, "moved away: gone at once")
            // Or the destination's watcher (IDLE) already brought the message in.
            #expect(Self.mirror(harness, target)?.awaitedUID == UID(UInt32(newUID))
                    || Self.mirror(harness, target)?.message(UID(UInt32(newUID))) != nil, "the destination awaits the moved message")

            let batch = try await harness.request("\(path)/messages/batch", method: "POST", headers: ["Content-Type": "application/json"],
                                                  body: try jsonBody(["uids": [uids[2], uids[3]], "action": "flags",
                                                                      "flags": ["set": ["\\Answered"]]]))
            #expect(batch.status == 200, "\(batch.text)")
            for uid in uids[2...3] {
                #expect(Self.mirror(harness, folder)?.message(UID(UInt32(uid)))?.flags == ["\\Answered"], "batch flags of \(uid) at once")
            }
            #expect(try await MirrorRouteTests.gatewayRows(harness, folder).rows == (try await MirrorRouteTests.rawRows(imap, folder)))
            let destination = try await MirrorRouteTests.gatewayRows(harness, target)
            #expect(destination.rows.keys.contains(UInt32(newUID)), "the destination lists the moved message")
            #expect(Self.mirror(harness, target)?.isCurrentForReads == true)
            await imap.logout()
        }
    }
}
