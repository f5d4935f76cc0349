import Foundation
import Gateway
import IMAP
import IMAPClient
import Testing
import TestSupport

/// `GET /folders/{f}/messages/{uid}` of a watched folder, against Dovecot: once a message has been
/// opened, it is read from the mirror row and the body cache without any IMAP command, as the same
/// JSON and tag `Cache-Control: no-cache` gets from the server; another client's flag change and
/// expunge reach it once the watcher synced; PATCH stays exact (404 for a UID that is not there,
/// every change read back through any pooled session).
@Suite("Folder mirror: one message from a watched folder", .serialized)
struct MirrorMessageTests {
    static func messagePath(_ folder: String, _ uid: Int) -> String {
        MirrorWatcherTests.path(folder) + "/messages/\(uid)"
    }

    /// The folder's first page, then waits for its watcher to be in IDLE with the mirror current.
    static func watch(_ harness: GatewayHarness, _ folder: String) async throws {
        #expect(try await harness.request(MirrorWatcherTests.path(folder) + "/messages?limit=10").status == 200)
        #expect(await MirrorWatcherTests.watching(harness), "the folder's watcher is in IDLE")
    }

    @Test("a watched folder answers an opened message with no IMAP command, as no-cache does; others' changes reach it")
    func watchedMessage() async throws {
        try await withHarness(configure: MirrorWatcherTests.configure) { harness in
            let folder = try await MirrorWatcherTests.makeFolder(harness, "Watched Message", messages: 3)
            try await Self.watch(harness, folder)
            let path = Self.messagePath(folder, 2)
            // The first open fetches the body (one UID FETCH with the flags) and caches it.
            let opened = try await harness.request(path)
            #expect(opened.status == 200, "\(opened.text)")

            let before = try await MirrorWatcherTests.imapCommands(harness)
            let watched = try await harness.request(path)
            #expect(watched.status == 200, "\(watched.text)")
            let tag = try #require(watched.headers["etag"])
            let notModified = try await harness.request(path, headers: ["If-None-Match": tag])
            #expect(notModified.status == 304)
            #expect(try await MirrorWatcherTests.imapCommands(harness) == before, "the watched reads sent no IMAP command")

            let revalidated = try await harness.request(path, headers: ["Cache-Control": "no-cache"])
            #expect(try await MirrorWatcherTests.imapCommands(harness) > before, "no-cache asked the IMAP server")
            #expect(revalidated.text == watched.text, "the same JSON from the server as from the mirror")
            #expect(revalidated.headers["etag"] == tag, "and the same tag")
            #expect(try watched.json()["subject"] as? String == "m1")
            #expect(try watched.json()["size"] as? Int == TestMessages.simple(subject: "m1").count)

            // Another client flags message 2 and expunges message 3.
            let writer = try await harness.imap()
            _ = try await writer.select(MailboxName(folder), readOnly: false)
            try await writer.uidStore(UIDSet([UID(2)]), .add([.flagged]), silent: true)
            try await writer.uidStore(UIDSet([UID(3)]), .add([.deleted]), silent: true)
            try await writer.uidExpunge(UIDSet([UID(3)]))
            await writer.logout()
            var flags: [String] = []
            let flagged = try await eventually(timeout: .seconds(10)) {
                flags = try await harness.request(path).json()["flags"] as? [String] ?? []
                return flags.contains("\\Flagged")
            }
            #expect(flagged, "the flag change reached the watched read: \(flags)")
            let gone = try await eventually(timeout: .seconds(10)) {
                try await harness.request(Self.messagePath(folder, 3)).status == 404
            }
            #expect(gone, "the expunged message is 404")
            #expect(await MirrorWatcherTests.watching(harness))
            let quiet = try await MirrorWatcherTests.imapCommands(harness)
            let afterChanges = try await harness.request(path)
            #expect(afterChanges.status == 200)
            #expect(afterChanges.headers["etag"] != tag, "the flag change makes a new tag")
            #expect(try await harness.request(path, headers: ["If-None-Match": tag]).status == 200)
            #expect(try await harness.request(Self.messagePath(folder, 3)).status == 404)
            #expect(try await MirrorWatcherTests.imapCommands(harness) == quiet, "still no IMAP command")
            let fresh = try await harness.request(path, headers: ["Cache-Control": "no-cache"])
            #expect(fresh.text == afterChanges.text)
            // A UID above the mirror's UIDNEXT may have just arrived: the server is asked, and says 404.
            #expect(try await harness.request(Self.messagePath(folder, 99)).status == 404)
            #expect(try await MirrorWatcherTests.imapCommands(harness) > quiet)
        }
    }

    @Test("PATCH of a missing UID is 404; upload, PATCH and GET on several pooled sessions at once never lose a change")
    func patchRoundTrips() async throws {
        try await withHarness(configure: MirrorWatcherTests.configure) { harness in
            let folder = try await MirrorWatcherTests.makeFolder(harness, "Watched Patch", messages: 1)
            try await Self.watch(harness, folder)
            let missing = try await MirrorWriteTests.patch(harness, folder, uid: 4242, ["add": ["\\Seen"]])
            #expect(missing.status == 404, "\(missing.text)")
            let base = MirrorWatcherTests.path(folder) + "/messages"
            for round in 0..<3 {
                // Three uploads, then their PATCHes and their reads, each three at a time: the
                // requests of one step run on different pooled sessions.
                let uids = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<3 {
                        group.addTask {
                            let upload = try await harness.request(base, method: "POST", headers: ["Content-Type": "message/rfc822"],
                                                                   body: Data(TestMessages.simple(subject: "r\(round) \(index)")))
                            #expect(upload.status == 201, "\(upload.text)")
                            return try #require(try upload.json()["uid"] as? Int)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let wanted: Set<String> = round % 2 == 0 ? ["\\Flagged", "$Round\(round)"] : ["\\Answered", "$Round\(round)"]
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for uid in uids {
                        group.addTask {
                            let patch = try await MirrorWriteTests.patch(harness, folder, uid: uid, ["add": Array(wanted)])
                            #expect(patch.status == 200, "\(patch.text)")
                            #expect(withoutRecent(try patch.json()["flags"]) == wanted, "round \(round) UID \(uid)")
                        }
                    }
                    try await group.waitForAll()
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for uid in uids {
                        for headers in [[:], ["Cache-Control": "no-cache"]] {
                            group.addTask {
                                let read = try await harness.request(Self.messagePath(folder, uid), headers: headers)
                                #expect(read.status == 200, "\(read.text)")
                                #expect(Set(try read.json()["flags"] as? [String] ?? []) == wanted,
                                        "round \(round) UID \(uid) \(headers): the PATCH is read back")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let gone = try await MirrorWriteTests.patch(harness, folder, uid: 4243, ["remove": ["\\Seen"]])
            #expect(gone.status == 404, "\(gone.text)")
        }
    }

    @Test("PATCH of flags the mirror shows already set asks the server first: set there, 200; not set (the mirror was behind), stored")
    func patchOfFlagsAlreadySet() async throws {
        try await withHarness(configure: MirrorWatcherTests.configure) { harness in
            let folder = try await MirrorWatcherTests.makeFolder(harness, "Watched Patch Again", messages: 2)
            try await Self.watch(harness, folder)
            for round in 0..<2 {
                let patch = try await MirrorWriteTests.patch(harness, folder, uid: 1, ["add": ["\\Seen"]])
                #expect(patch.status == 200, "\(patch.text)")
                #expect(withoutRecent(try patch.json()["flags"]) == ["\\Seen"], "round \(round)")
            }
            // The mirror made to show message 2 seen while the server has no flag on it.
            #expect(await MirrorWatcherTests.watching(harness))
            let key = MirrorKey(account: DovecotUser.alice.name, folder: folder)
            harness.gateway.context.mirrors?.store.update(key) { mirror in
                var delta = MirrorDelta()
                delta.flagUpdates = [FlagUpdate(uid: UID(2), flags: ["\\Seen"])]
                mirror?.apply(delta)
            }
            let stored = try await MirrorWriteTests.patch(harness, folder, uid: 2, ["add": ["\\Seen"]])
            #expect(stored.status == 200, "\(stored.text)")
            #expect(withoutRecent(try stored.json()["flags"]) == ["\\Seen"])
            let raw = try await MirrorWatcherTests.rawRows(harness, folder)
            #expect(raw == [1: ["\\Seen"], 2: ["\\Seen"]], "the server has both flags: \(raw)")
            let missing = try await MirrorWriteTests.patch(harness, folder, uid: 3, ["add": ["\\Seen"]])
            #expect(missing.status == 404, "\(missing.text)")
        }
    }

    @Test("a message longer than the first FETCH's prefix is still read whole (mirror off: no row tells its size; on: a row does)",
          arguments: [false, true])
    func messagesAroundThePrefix(mirror: Bool) async throws {
        try await withHarness(configure: { $0.mirrorEnabled = mirror }) { harness in
            let folder = uniqueName("Prefix")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            let line = String(repeating: "abcdefghij", count: 7) + "\n"
            let sizes = [GatewayContext.bodyPrefixBytes - 2000, GatewayContext.bodyPrefixBytes + 5000]
            for size in sizes {
                _ = try await imap.append(to: MailboxName(folder),
                                          message: TestMessages.simple(subject: "\(size)", body: String(repeating: line, count: size / line.utf8.count)))
            }
            await imap.logout()
            if mirror {
                // The page fills the mirror: its rows tell the sizes, the body comes whole in the first FETCH.
                #expect(try await harness.request(MirrorWatcherTests.path(folder) + "/messages").status == 200)
            }
            for (index, size) in sizes.enumerated() {
                let read = try await harness.request(Self.messagePath(folder, index + 1))
                #expect(read.status == 200)
                let message = try read.json()
                #expect(message["truncated"] as? Bool != true)
                let text = message["textBody"] as? String ?? ""
                #expect(text.utf8.count >= size - 2 * line.utf8.count, "message \(index + 1) came whole: \(text.utf8.count) bytes of text")
                #expect(message["size"] as? Int ?? 0 > size - 2 * line.utf8.count)
                // Opened again: the same, from the body cache.
                #expect(try await harness.request(Self.messagePath(folder, index + 1)).text == read.text)
            }
        }
    }

    @Test("a message another client added a moment ago is read at once, not 404, by a session that had not heard of it")
    func messageAddedByAnotherClient() async throws {
        try await withHarness(configure: {
            $0.mirrorEnabled = false
            // No NOOP before reuse: the pooled session learns of the message from the read itself.
            $0.pool.noopAfterIdle = .seconds(3600)
        }) { harness in
            let folder = try await MirrorWatcherTests.makeFolder(harness, "Added Meanwhile", messages: 1)
            #expect(try await harness.request(Self.messagePath(folder, 1)).status == 200)
            let imap = try await harness.imap()
            for round in 0..<3 {
                let appended = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "new \(round)"))
                let uid = Int(try #require(appended?.uid).rawValue)
                let read = try await harness.request(Self.messagePath(folder, uid))
                #expect(read.status == 200, "round \(round): \(read.text)")
                #expect(try read.json()["subject"] as? String == "new \(round)")
            }
            await imap.logout()
        }
    }
}

