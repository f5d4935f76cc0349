import Foundation
import Gateway
import IMAPClient
import Testing
import TestSupport

/// Listing pages without a search are read by sequence number; these walk folders while another
/// IMAP session adds and expunges messages between the pages.
@Suite("Listing pages by sequence number", .serialized)
struct SequencePagingTests {
    /// These pages are the IMAP read path (FETCH by sequence number, the count of commands, a
    /// change seen at once by the same session): with the mirror on they are cut from the mirror.
    static func withoutMirror(_ configuration: inout GatewayConfiguration) { configuration.mirrorEnabled = false }

    struct ListedPage {
        var uids: [Int]
        var total: Int?
        var next: String?
    }

    private func page(_ harness: GatewayHarness, _ folder: String, order: String, limit: Int,
                      cursor: String? = nil) async throws -> ListedPage {
        var path = Paths.messages(folder) + "?limit=\(limit)&order=\(order)&fields=uid,subject"
        if let cursor { path += "&cursor=" + cursor }
        let response = try await harness.request(path)
        #expect(response.status == 200, "\(path): \(response.text)")
        let json = try response.json()
        let uids = (json["messages"] as? [[String: Any]] ?? []).compactMap { $0["uid"] as? Int }
        return ListedPage(uids: uids, total: json["total"] as? Int, next: json["nextCursor"] as? String)
    }

    /// `imap_commands_total{command=..., result="ok"}` as the gateway counts it.
    private func commands(_ harness: GatewayHarness, _ command: String) async throws -> Int {
        let text = try await harness.request("/metrics", user: nil).text
        let prefix = "imap_commands_total{command=\"\(command)\",result=\"ok\"} "
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            return Int(Double(line.dropFirst(prefix.count)) ?? -1)
        }
        return 0
    }

    /// A writer's session on `folder`, as another mail client would have it.
    private func writer(_ harness: GatewayHarness, _ folder: String) async throws -> IMAPConnection {
        let imap = try await harness.imap()
        _ = try await imap.select(MailboxName(folder), readOnly: false)
        return imap
    }

    private func expunge(_ imap: IMAPConnection, _ uids: [Int]) async throws {
        let set = UIDSet(uids.map { UID(UInt32($0)) })
        try await imap.uidStore(set, .add([.deleted]), silent: true)
        try await imap.uidExpunge(set)
    }

    private func deliver(_ harness: GatewayHarness, _ folder: String, _ count: Int) throws {
        try harness.dovecot.deliver(user: "alice", folder: folder,
                                    messages: (1...count).map { TestMessages.simple(subject: "Seq \($0)") })
    }

    @Test("a walk costs FETCHes, never a UID SEARCH of the folder", arguments: ["newest", "oldest"])
    func walkWithoutSearch(order: String) async throws {
        try await withHarness(configure: Self.withoutMirror) { harness in
            let folder = uniqueName("SeqWalk-\(order)")
            try deliver(harness, folder, 120)
            let searches = try await commands(harness, "UID SEARCH")
            let fetches = try await commands(harness, "FETCH")
            var seen: [Int] = []
            var cursor: String?
            var pages = 0
            repeat {
                let listed = try await page(harness, folder, order: order, limit: 25, cursor: cursor)
                #expect(listed.total == 120)
                seen += listed.uids
                cursor = listed.next
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == (order == "newest" ? Array((1...120).reversed()) : Array(1...120)))
            #expect(pages == 5)
            #expect(try await commands(harness, "UID SEARCH") == searches, "a page without search= ran UID SEARCH")
            #expect(try await commands(harness, "FETCH") == fetches + pages)
        }
    }

    /// Every page: one new message APPENDed, the next message the walk would list expunged, on
    /// every second page one already listed, on every third the cursor's own message.
    @Test("a walk misses and repeats nothing while mail is appended and expunged between pages",
          arguments: ["newest", "oldest"])
    func walkWhileMailComesAndGoes(order: String) async throws {
        try await withHarness(configure: Self.withoutMirror) { harness in
            let folder = uniqueName("SeqChurn-\(order)")
            try deliver(harness, folder, 80)
            let imap = try await writer(harness, folder)
            let searches = try await commands(harness, "UID SEARCH")
            let newest = order == "newest"
            var seen: [Int] = []
            var expunged: Set<Int> = []
            var cursor: String?
            var pages = 0
            repeat {
                let listed = try await page(harness, folder, order: order, limit: 6, cursor: cursor)
                #expect(listed.uids == (newest ? listed.uids.sorted(by: >) : listed.uids.sorted()))
                if let last = seen.last, let first = listed.uids.first {
                    #expect(newest ? first < last : first > last, "page \(pages + 1) goes back: \(first) after \(last)")
                }
                seen += listed.uids
                cursor = listed.next
                pages += 1
                guard let last = listed.uids.last else { break }

                _ = try await imap.append(to: MailboxName(folder), message: TestMessages.simple(subject: "Late \(pages)"))
                var victims: [Int] = []
                let ahead = newest ? last - 1 : last + 1
                if (1...80).contains(ahead), !expunged.contains(ahead) { victims.append(ahead) }
                if pages % 2 == 0, let behind = listed.uids.first { victims.append(behind) }
                if pages % 3 == 0 { victims.append(last) }
                victims = victims.filter { !expunged.contains($0) }
                if !victims.isEmpty {
                    try await expunge(imap, victims)
                    expunged.formUnion(victims)
                }
            } while cursor != nil && pages < 60
            await imap.logout()
            #expect(cursor == nil, "the walk did not end")
            #expect(Set(seen).count == seen.count, "a UID came twice: \(seen)")
            let missed = Set(1...80).subtracting(expunged).subtracting(seen)
            #expect(missed.isEmpty, "missed \(missed.sorted())")
            #expect(!expunged.isEmpty && pages > 5)
            // Only a cursor whose own message is gone (every third page) needs UID SEARCH; expunges
            // elsewhere cost a second look for the anchor at most.
            let fallbacks = try await commands(harness, "UID SEARCH") - searches
            #expect(fallbacks <= pages / 3 + 1, "\(fallbacks) of \(pages) pages fell back to UID SEARCH")
        }
    }

    @Test("the cursor's message expunged between pages: the next page continues right below or above it",
          arguments: ["newest", "oldest"])
    func anchorExpunged(order: String) async throws {
        try await withHarness(configure: Self.withoutMirror) { harness in
            let folder = uniqueName("SeqAnchor-\(order)")
            try deliver(harness, folder, 20)
            let imap = try await writer(harness, folder)
            let first = try await page(harness, folder, order: order, limit: 5)
            #expect(first.uids == (order == "newest" ? [20, 19, 18, 17, 16] : [1, 2, 3, 4, 5]))
            let anchor = try #require(first.uids.last)
            try await expunge(imap, [anchor])
            let second = try await page(harness, folder, order: order, limit: 5, cursor: first.next)
            #expect(second.uids == (order == "newest" ? [15, 14, 13, 12, 11] : [6, 7, 8, 9, 10]))
            #expect(second.total == 19)
            // And once more with a message next to the anchor gone as well.
            let next = try #require(second.uids.last)
            try await expunge(imap, [next, order == "newest" ? next - 1 : next + 1])
            let third = try await page(harness, folder, order: order, limit: 5, cursor: second.next)
            #expect(third.uids == (order == "newest" ? [9, 8, 7, 6, 5] : [12, 13, 14, 15, 16]))
            #expect(third.total == 17)
            await imap.logout()
        }
    }

    @Test("an empty folder is an empty last page", arguments: ["newest", "oldest"])
    func emptyFolder(order: String) async throws {
        try await withHarness(configure: Self.withoutMirror) { harness in
            let folder = uniqueName("SeqEmpty-\(order)")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            await imap.logout()
            for _ in 1...2 {  // the second time on a session that has the folder selected already
                let listed = try await page(harness, folder, order: order, limit: 50)
                #expect(listed.uids.isEmpty && listed.total == 0 && listed.next == nil)
            }
        }
    }

    @Test("a limit at or above the folder's size is one last page; just below it, two", arguments: ["newest", "oldest"])
    func limitAroundFolderSize(order: String) async throws {
        try await withHarness(configure: Self.withoutMirror) { harness in
            let folder = uniqueName("SeqSmall-\(order)")
            try deliver(harness, folder, 3)
            let all = order == "newest" ? [3, 2, 1] : [1, 2, 3]
            for limit in [500, 3] {
                let listed = try await page(harness, folder, order: order, limit: limit)
                #expect(listed.uids == all && listed.total == 3 && listed.next == nil, "limit \(limit)")
            }
            let first = try await page(harness, folder, order: order, limit: 2)
            #expect(first.uids == Array(all.prefix(2)) && first.next != nil)
            let second = try await page(harness, folder, order: order, limit: 2, cursor: first.next)
            #expect(second.uids == [all[2]] && second.total == 3 && second.next == nil)
        }
    }

    @Test("a message expunged elsewhere leaves the first page and its total at once", arguments: ["newest", "oldest"])
    func expungedLeavesTheFirstPage(order: String) async throws {
        try await withHarness(configure: Self.withoutMirror) { harness in
            let folder = uniqueName("SeqGone-\(order)")
            try deliver(harness, folder, 8)
            let before = try await page(harness, folder, order: order, limit: 4)
            #expect(before.total == 8)
            let imap = try await writer(harness, folder)
            let gone = order == "newest" ? 8 : 1
            try await expunge(imap, [gone])
            await imap.logout()
            // The same pooled session answers, with the folder still selected.
            let after = try await page(harness, folder, order: order, limit: 4)
            #expect(after.uids == (order == "newest" ? [7, 6, 5, 4] : [2, 3, 4, 5]))
            #expect(after.total == 7)
        }
    }

    @Test("new mail the session learns of during the first page's FETCH is on that page, as in its total")
    func newMailOnTheFirstPage() async throws {
        try await withHarness(configure: Self.withoutMirror) { harness in
            let folder = uniqueName("SeqNew")
            try deliver(harness, folder, 10)
            let before = try await page(harness, folder, order: "newest", limit: 5)
            #expect(before.uids == [10, 9, 8, 7, 6] && before.total == 10)
            try deliver(harness, folder, 2)
            var latest = before
            let arrived = try await eventually(timeout: .seconds(30)) {
                latest = try await page(harness, folder, order: "newest", limit: 5)
                return latest.total == 12
            }
            #expect(arrived, "the gateway never saw the new mail")
            #expect(latest.uids == [12, 11, 10, 9, 8], "the page that counts 12 messages shows the newest of them")
        }
    }
}
