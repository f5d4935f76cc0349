import Foundation
import Gateway
import IMAP
import IMAPClient
import TestSupport
import Testing

/// Search pages with the folder mirror against Dovecot: UID SEARCH on the server, rows from the
/// mirror with fresh flags, and a read as without the mirror when it lacks a row.
@Suite("Folder mirror: search rows", .serialized)
struct MirrorSearchTests {
    static func hits(_ harness: GatewayHarness) -> Int {
        harness.gateway.context.mirrors?.store.statistics.hits ?? -1
    }

    /// uid → (subject, flags) of a search page.
    static func searchRows(_ harness: GatewayHarness, _ folder: String, _ search: String) async throws -> [Int: String] {
        let query = search.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let result = try await harness.request(MirrorRouteTests.path(folder) + "/messages?limit=50&search=" + query)
        #expect(result.status == 200, "\(result.text)")
        var rows: [Int: String] = [:]
        for message in try result.json()["messages"] as? [[String: Any]] ?? [] {
            let flags = (message["flags"] as? [String] ?? []).filter { $0 != "\\Recent" }.sorted()
            rows[message["uid"] as? Int ?? 0] = "\(message["subject"] as? String ?? "") \(flags) \(message["size"] as? Int ?? 0)"
        }
        return rows
    }

    @Test("a search page takes its rows from the mirror, its flags fresh from IMAP; without the mirror it reads the same from IMAP")
    func searchRowsFromTheMirror() async throws {
        try await withHarness(configure: MirrorRouteTests.configure(ignoring: [])) { harness in
            let folder = uniqueName("MirrorSearch")
            let imap = try await harness.imap()
            let mailbox = MailboxName(folder)
            try await imap.create(mailbox)
            for index in 0..<6 {
                _ = try await imap.append(to: mailbox, message: TestMessages.simple(subject: index % 2 == 0 ? "even \(index)" : "odd \(index)"))
            }
            _ = try await MirrorRouteTests.gatewayRows(harness, folder)
            // Another client changes a flag the mirror has not synced: the search row shows it.
            _ = try await imap.select(mailbox, readOnly: false)
            try await imap.uidStore(UIDSet([UID(1)]), .add([.flagged]), silent: true)
            try await imap.unselect()
            let before = Self.hits(harness)
            let even = try await Self.searchRows(harness, folder, "subject:even")
            #expect(Self.hits(harness) == before + 1, "the rows came from the mirror")
            #expect(even.count == 3)
            #expect(even[1]?.contains("\\Flagged") == true, "fresh flags: \(even)")

            // No mirror (dropped, as by eviction): the page is read from IMAP, with the same rows.
            harness.gateway.context.mirrors?.drop(MirrorKey(account: DovecotUser.alice.name, folder: folder))
            let misses = harness.gateway.context.mirrors?.store.statistics.misses ?? -1
            let fromIMAP = try await Self.searchRows(harness, folder, "subject:even")
            #expect(fromIMAP == even, "\(fromIMAP) vs \(even)")
            #expect(harness.gateway.context.mirrors?.store.statistics.misses == misses + 1)
            await imap.logout()
        }
    }
}
