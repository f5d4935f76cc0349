import Foundation
import Gateway
import Testing
import TestSupport

@Suite("Listing and searching messages", .serialized)
struct MessageListTests {
    @Test func summariesHaveTheDocumentedShape() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Shape")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.simple(subject: "=?ISO-8859-1?Q?Gr=FC=DFe?=", from: "=?UTF-8?B?SsO2cmc=?= <jorg@example.com>",
                                    date: "Wed, 14 Jan 2015 21:10:00 +0100", messageID: "<first@example.com>"),
                TestMessages.simple(subject: "No date", date: "not a date at all"),
                TestMessages.withAttachment([1, 2, 3], filename: "a.bin"),
            ], internalDate: Date(timeIntervalSince1970: 1_421_266_200))
            let response = try await harness.request(Paths.messages(folder))
            #expect(response.status == 200)
            let list = try response.json()
            #expect(list["folder"] as? String == folder)
            #expect(list["total"] as? Int == 3)
            #expect(list["nextCursor"] is NSNull)
            let messages = try #require(list["messages"] as? [[String: Any]])
            #expect(messages.map { $0["uid"] as? Int } == [3, 2, 1])
            let first = messages[2]
            #expect(first["subject"] as? String == "Grüße")
            #expect(first["messageId"] as? String == "<first@example.com>")
            #expect(first["sentAt"] as? String == "2015-01-14T21:10:00+01:00")
            #expect(first["receivedAt"] as? String == "2015-01-14T20:10:00Z")
            let from = try #require(first["from"] as? [[String: Any]])
            #expect(from.first?["name"] as? String == "Jörg")
            #expect(from.first?["email"] as? String == "jorg@example.com")
            #expect(first["cc"] as? [Any] != nil)
            #expect(first["replyTo"] as? [Any] != nil)
            #expect(first["inReplyTo"] is NSNull)
            #expect(first["preview"] == nil)
            #expect(first["hasAttachment"] as? Bool == false)
            #expect((first["size"] as? Int ?? 0) > 0)
            #expect(messages[1]["sentAt"] is NSNull)
            #expect(messages[0]["hasAttachment"] as? Bool == true)
        }
    }

    @Test func fieldsNarrowAndPreviewWidens() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Fields")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.simple(subject: "Preview me", body: "The   quick\n brown fox."),
            ])
            let response = try await harness.request(Paths.messages(folder) + "?fields=subject,preview")
            let message = try #require((try response.json()["messages"] as? [[String: Any]])?.first)
            #expect(Set(message.keys) == ["uid", "subject", "preview"])
            #expect(message["preview"] as? String == "The quick brown fox.")
            let bad = try await harness.request(Paths.messages(folder) + "?fields=subject,nope")
            #expect(bad.status == 400)
        }
    }

    @Test func searchCompilesToIMAPSearch() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Search")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.simple(subject: "Quarterly report", from: "Ann <ann@example.com>"),
                TestMessages.simple(subject: "Lunch", from: "Carl <carl@example.com>"),
                TestMessages.simple(subject: "Report draft", from: "Carl <carl@example.com>"),
            ])
            func uids(_ query: String) async throws -> [Int] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                let response = try await harness.request(Paths.messages(folder) + "?search=" + encoded)
                #expect(response.status == 200, "\(query): \(response.text)")
                return (try response.json()["messages"] as? [[String: Any]] ?? []).compactMap { $0["uid"] as? Int }
            }
            #expect(try await uids("subject:report") == [3, 1])
            #expect(try await uids("from:carl -subject:lunch") == [3])
            #expect(try await uids("lunch OR quarterly") == [2, 1])
            #expect(try await uids("\"a) NIL\"") == [])

            let broken = try await harness.request(Paths.messages(folder) + "?search=" + "(unclosed".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(broken.status == 400)
            let problem = try broken.json()
            #expect(problem["type"] as? String == "https://imap-gateway.dev/problems/bad-search")
            #expect(problem["position"] as? Int != nil)
        }
    }

    @Test func badParametersAre400() async throws {
        try await withHarness { harness in
            for query in ["limit=0", "limit=501", "limit=ten", "order=sideways", "cursor=not-a-cursor!"] {
                let response = try await harness.request("/folders/INBOX/messages?" + query)
                #expect(response.status == 400, "\(query)")
                #expect(response.headers["content-type"] == "application/problem+json")
            }
            let cursor = try await harness.request("/folders/INBOX/messages?cursor=AAAA")
            #expect(try cursor.json()["type"] as? String == "https://imap-gateway.dev/problems/bad-cursor")
        }
    }

    /// 3,000 messages, pages of 500, new mail arriving between pages: every original UID once.
    @Test(arguments: ["newest", "oldest"])
    func paginationNeverMissesOrRepeats(order: String) async throws {
        try await withHarness { harness in
            let folder = uniqueName("Bulk-\(order)")
            let bulk = (1...3000).map { TestMessages.simple(subject: "Bulk \($0)", messageID: "<bulk\($0)@example.com>") }
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: bulk)
            var seen: [Int] = []
            var cursor: String?
            var pages = 0
            var firstTotal: Int?
            repeat {
                var path = Paths.messages(folder) + "?limit=500&order=\(order)&fields=uid,subject"
                if let cursor { path += "&cursor=" + cursor }
                let response = try await harness.request(path)
                #expect(response.status == 200)
                let page = try response.json()
                if firstTotal == nil { firstTotal = page["total"] as? Int }
                let uids = (page["messages"] as? [[String: Any]] ?? []).compactMap { $0["uid"] as? Int }
                #expect(uids == (order == "newest" ? uids.sorted(by: >) : uids.sorted()))
                seen += uids
                cursor = page["nextCursor"] as? String
                pages += 1
                // New mail between pages must not shift anything.
                try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "Late \(pages)")])
            } while cursor != nil && pages < 20
            #expect(firstTotal == 3000)
            #expect(Set(seen).count == seen.count, "a UID came twice")
            #expect(Set(1...3000).isSubset(of: Set(seen)), "a UID was missed")
            if order == "newest" { #expect(seen.count == 3000) }
        }
    }
}
