import Foundation
@testable import Gateway
import IMAP
import IMAPClient
import TestSupport
import Testing

/// A folder over the inline fill limit (lowered here: 300 messages, chunks of 100, a folder of
/// 1,024) against Dovecot: its first page comes from IMAP at once, its watcher fills the mirror
/// in the background, and once complete the pages come from the mirror and equal a raw IMAP
/// read, with what another client changed during the fill.
@Suite("Folder mirror: background fill of big folders", .serialized)
struct MirrorBackgroundFillTests {
    static let user = DovecotUser.alice

    static func configure(ignoring capabilities: [String], maxBytes: Int = 64 << 20) -> (inout GatewayConfiguration) -> Void {
        { configuration in
            MirrorRouteTests.configure(ignoring: capabilities, maxBytes: maxBytes)(&configuration)
            configuration.mirrorInlineFillLimit = 300
            configuration.mirrorFillChunk = 100
        }
    }

    static func mirror(_ harness: GatewayHarness, _ folder: String) -> FolderMirror? {
        harness.gateway.context.mirrors?.store.read(MirrorKey(account: user.name, folder: folder)) { $0 }
    }

    /// A folder of `4 << doublings` messages: four appended, then the folder copied onto itself.
    static func seed(_ imap: IMAPConnection, _ folder: String, doublings: Int) async throws {
        try await imap.create(MailboxName(folder))
        for index in 0..<4 {
            _ = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "seed \(index)"))
        }
        _ = try await imap.select(MailboxName(folder), readOnly: false)
        for _ in 0..<doublings {
            _ = try await imap.uidCopy(UIDSet(ranges: [MessageRange(UID(1), nil)]), to: MailboxName(folder))
        }
    }

    /// Every row through the gateway, page by page (500 a page, cursor), and whether every page
    /// was cut from the mirror (it carries a `state`).
    static func allGatewayRows(_ harness: GatewayHarness, _ folder: String) async throws -> (rows: MirrorRouteTests.Rows, mirrored: Bool) {
        var rows: MirrorRouteTests.Rows = [:]
        var mirrored = true
        var cursor: String?
        for _ in 0..<10 {
            let query = "/messages?limit=500&fields=uid,flags" + (cursor.map { "&cursor=" + $0 } ?? "")
            let result = try await harness.request(MirrorRouteTests.path(folder) + query)
            #expect(result.status == 200, "\(result.text)")
            let json = try result.json()
            if json["state"] == nil { mirrored = false }
            for message in json["messages"] as? [[String: Any]] ?? [] {
                rows[UInt32(message["uid"] as? Int ?? 0)] = Set((message["flags"] as? [String] ?? []).filter { $0 != "\\Recent" })
            }
            cursor = json["nextCursor"] as? String
            if cursor == nil { break }
        }
        return (rows, mirrored)
    }

    @Test("first page from IMAP at once, then pages from the mirror equal to raw IMAP, with changes made during the fill",
          arguments: [[], ["QRESYNC"], ["QRESYNC", "CONDSTORE"]] as [[String]])
    func fillsInTheBackground(ignoring capabilities: [String]) async throws {
        try await withHarness(configure: Self.configure(ignoring: capabilities)) { harness in
            let folder = uniqueName("MirrorFill")
            let writer = try await harness.imap()
            try await Self.seed(writer, folder, doublings: 8)
            let reader = try await harness.imap()
            let raw = try await MirrorRouteTests.rawRows(reader, folder)
            #expect(raw.count == 1_024)

            // The first page: from IMAP (no state), the newest 50, while nothing is mirrored yet.
            let first = try await harness.request(MirrorRouteTests.path(folder) + "/messages?limit=50")
            #expect(first.status == 200, "\(first.text)")
            let firstJSON = try first.json()
            #expect(firstJSON["state"] == nil, "a folder over the inline limit is read from IMAP until its mirror is complete")
            let newest = raw.keys.sorted(by: >).prefix(50).map(Int.init)
            #expect((firstJSON["messages"] as? [[String: Any]] ?? []).compactMap { $0["uid"] as? Int } == Array(newest))

            // While the watcher fills (some chunks in, not complete), another client changes the
            // folder in both the part already mirrored (newest) and the part still to come.
            let partial = await eventually(timeout: .seconds(20), every: .milliseconds(1)) {
                Self.mirror(harness, folder).map { !$0.isComplete && !$0.messages.isEmpty } ?? false
            }
            #expect(partial, "the mirror fills chunk by chunk")
            let sorted = raw.keys.sorted()
            let (top, bottom) = (UID(sorted[sorted.count - 2]), UID(sorted[1]))
            _ = try await writer.select(MailboxName(folder), readOnly: false)
            _ = try await writer.uidStore(UIDSet([top, bottom]), .add([.flagged]), silent: true)
            let victims = UIDSet([UID(sorted[sorted.count - 1]), UID(sorted[0])])
            _ = try await writer.uidStore(victims, .add([.deleted]), silent: true)
            try await writer.uidExpunge(victims)
            _ = try await writer.append(to: MailboxName(folder), message: TestMessages.simple(subject: "during the fill"))
            let changedWhileFilling = Self.mirror(harness, folder).map { !$0.isComplete } ?? false

            let expected = try await MirrorRouteTests.rawRows(reader, folder)
            #expect(expected.count == 1_023)
            var now = try await Self.allGatewayRows(harness, folder)
            let served = try await eventually(timeout: .seconds(30)) {
                now = try await Self.allGatewayRows(harness, folder)
                return now.mirrored && now.rows == expected
            }
            let difference = "mirrored \(now.mirrored), missing \(Set(expected.keys).subtracting(now.rows.keys).sorted()), "
                + "extra \(Set(now.rows.keys).subtracting(expected.keys).sorted())"
            #expect(served, "pages come from the complete mirror and equal raw IMAP (changes during the fill: \(changedWhileFilling)); \(difference)")
            let statistics = try #require(harness.gateway.context.mirrors?.store.statistics)
            #expect(statistics.syncs[.fill] == 1, "one background fill")
            #expect(statistics.syncs[.full] == nil, "never filled inline")
            let rows = try #require(Self.mirror(harness, folder))
            #expect(rows.message(top)?.flags.contains("\\Flagged") == true)
            #expect(rows.message(bottom)?.flags.contains("\\Flagged") == true)
            #expect(rows.messages.last?.summary.subject == "during the fill")
            await reader.logout()
            await writer.logout()
        }
    }

    @Test("a folder whose estimate exceeds the byte budget is not filled; its pages still come from IMAP")
    func overBudgetIsNotFilled() async throws {
        // 1,024 messages at several hundred bytes each do not fit 400 KB.
        try await withHarness(configure: Self.configure(ignoring: [], maxBytes: 400_000)) { harness in
            let folder = uniqueName("MirrorFillBig")
            let writer = try await harness.imap()
            try await Self.seed(writer, folder, doublings: 8)
            let key = MirrorKey(account: Self.user.name, folder: folder)
            let first = try await harness.request(MirrorRouteTests.path(folder) + "/messages?limit=50")
            #expect(first.status == 200, "\(first.text)")
            // The watcher declines at once (the bytes a message takes at least) or after its
            // first chunk (what a message of this folder takes), then goes on into IDLE.
            let declined = await eventually(timeout: .seconds(20)) {
                harness.gateway.context.mirrors?.declinedFills.withLock({ $0[key] }) != nil && Self.mirror(harness, folder) == nil
            }
            #expect(declined, "the watcher declined the fill and dropped what it had filled")
            let fills = harness.gateway.context.mirrors?.store.statistics.syncs[.fill] ?? 0
            #expect(fills <= 1)
            // News wakes the watcher: it syncs again, and does not try the fill again.
            _ = try await writer.append(to: MailboxName(folder), message: TestMessages.simple(subject: "news"))
            var again = try await Self.allGatewayRows(harness, folder)
            #expect(try await eventually(timeout: .seconds(20)) {
                again = try await Self.allGatewayRows(harness, folder)
                return again.rows.count == 1_025
            })
            #expect(!again.mirrored, "pages come from IMAP")
            #expect(Self.mirror(harness, folder) == nil)
            #expect(harness.gateway.context.mirrors?.store.statistics.syncs[.fill] ?? 0 == fills, "a declined folder is not tried again")
            await writer.logout()
        }
    }

    @Test("without a watcher (none allowed) a big folder is not filled: every page comes from IMAP")
    func noWatcherNoFill() async throws {
        try await withHarness(configure: {
            Self.configure(ignoring: [])(&$0)
            $0.mirrorWatchersPerAccount = 0
        }) { harness in
            let folder = uniqueName("MirrorFillUnwatched")
            let writer = try await harness.imap()
            try await Self.seed(writer, folder, doublings: 7)
            for _ in 0..<3 {
                let rows = try await Self.allGatewayRows(harness, folder)
                #expect(!rows.mirrored && rows.rows.count == 512)
            }
            #expect(harness.gateway.context.watchers?.phase(MirrorKey(account: Self.user.name, folder: folder)) == nil)
            #expect(harness.gateway.context.mirrors?.store.statistics.syncs[.fill] == nil)
            #expect(Self.mirror(harness, folder) == nil)
            await writer.logout()
        }
    }

    @Test("a mirrored message keeps References (capped) and In-Reply-To for threading")
    func referencesAndInReplyTo() async throws {
        try await withHarness(configure: MirrorRouteTests.configure(ignoring: [])) { harness in
            let folder = uniqueName("MirrorRefs")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            let reply = TestMessages.crlf("""
                From: Ann <ann@example.com>
                To: Bob <bob@example.com>
                Subject: Re: plans
                Message-ID: <c@example.com>
                In-Reply-To: <b@example.com>
                References: <a@example.com>
                 <b@example.com>

                Sounds good.

                """)
            // A hostile header: 400 identifiers, about 12 KB, folded.
            let many = (0..<400).map { "<id\($0)-0123456789@example.com>" }
            let hostile = TestMessages.crlf("""
                From: Ann <ann@example.com>
                Subject: long thread
                References: \(many.joined(separator: "\n "))

                Deep.

                """)
            let plain = TestMessages.simple(subject: "no thread")
            for message in [reply, hostile, plain] { _ = try await imap.append(to: MailboxName(folder), message: message) }
            let page = try await harness.request(MirrorRouteTests.path(folder) + "/messages")
            let pageJSON = try page.json()
            #expect(page.status == 200 && pageJSON["state"] != nil, "\(page.text)")
            let mirror = try #require(Self.mirror(harness, folder))
            let rows = mirror.messages
            #expect(rows.count == 3)
            #expect(rows.first?.references == "<a@example.com> <b@example.com>")
            #expect(rows.first?.summary.inReplyTo == "<b@example.com>")
            let capped = try #require(rows.dropFirst().first?.references)
            #expect(capped.utf8.count <= 2_048 && capped.utf8.count > 1_900, "capped at 2 KB: \(capped.utf8.count) bytes")
            let kept = capped.split(separator: " ").map(String.init)
            #expect(kept.first == many.first, "the thread's root is kept")
            #expect(Array(kept.dropFirst()) == Array(many.suffix(kept.count - 1)), "then the nearest ancestors")
            #expect(rows.last?.references == nil)
            await imap.logout()
        }
    }
}
