import Foundation
import Gateway
import IMAPClient
import Testing
import TestSupport

@Suite("Folders", .serialized)
struct FolderRouteTests {
    @Test func oddFolderNamesRoundTripThroughURLs() async throws {
        try await withHarness { harness in
            let prefix = uniqueName("Odd")
            let names = ["\(prefix) Entwürfe", "\(prefix) R&D", "\(prefix) 100% done", "\(prefix)/2024", "\(prefix) [Brackets]", "\(prefix) 日本語"]
            let imap = try await harness.imap()
            for name in names { try await imap.create(MailboxName(name)) }
            try harness.dovecot.deliver(user: "alice", folder: names[1], messages: [TestMessages.simple(subject: "in R&D")])
            await imap.logout()

            let listing = try await harness.request("/folders")
            #expect(listing.status == 200)
            let folders = try listing.json()["folders"] as? [[String: Any]] ?? []
            for name in names {
                let folder = try #require(folders.first { $0["name"] as? String == name }, "missing \(name)")
                let href = try #require(folder["href"] as? String)
                #expect(href == Paths.folder(name))
                #expect(!href.dropFirst("/folders/".count).contains("/"))
                let status = try await harness.request(href)
                #expect(status.status == 200, "GET \(href)")
                #expect(try status.json()["name"] as? String == name)
                let messages = try await harness.request(href + "/messages")
                #expect(messages.status == 200)
            }
            let nested = try #require(folders.first { $0["name"] as? String == "\(prefix)/2024" })
            #expect(nested["parent"] as? String == prefix)
            #expect(nested["leaf"] as? String == "2024")
            #expect(nested["delimiter"] as? String == "/")
            let inbox = try #require(folders.first { $0["name"] as? String == "INBOX" })
            #expect(inbox["specialUse"] as? String == "inbox")
            #expect(inbox["selectable"] as? Bool == true)

            let rd = try await harness.request(Paths.messages(names[1]))
            #expect(try rd.json()["total"] as? Int == 1)
        }
    }

    @Test func statusCountsAndETag() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Counted")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.simple(subject: "one"), TestMessages.simple(subject: "two"),
            ], flags: [.seen])
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "three")])
            let listing = try await harness.request("/folders?status=true")
            #expect(listing.status == 200)
            let folders = try listing.json()["folders"] as? [[String: Any]] ?? []
            let counted = try #require(folders.first { $0["name"] as? String == folder })
            let status = try #require(counted["status"] as? [String: Any])
            #expect(status["messages"] as? Int == 3)
            #expect(status["unseen"] as? Int == 1)
            #expect(status["uidNext"] as? Int == 4)

            let tag = try #require(listing.headers["etag"])
            // Other suites create folders for alice at the same time, which rightly changes the
            // listing's tag; an unchanged listing must give 304 with no body.
            #expect(try await eventually {
                let current = try await harness.request("/folders?status=true")
                let again = try await harness.request("/folders?status=true", headers: ["If-None-Match": current.headers["etag"] ?? "-"])
                return again.status == 304 && again.body.isEmpty && again.headers["etag"] == current.headers["etag"]
            })
            let withoutStatus = try await harness.request("/folders", headers: ["If-None-Match": tag])
            #expect(withoutStatus.status == 200)

            let state = try await harness.request(Paths.folder(folder))
            let json = try state.json()
            #expect(json["exists"] as? Int == 3)
            #expect((json["uidValidity"] as? Int ?? 0) > 0)
            #expect(json["href"] as? String == Paths.folder(folder))
            #expect((json["flags"] as? [String])?.contains("\\Seen") == true)
        }
    }

    @Test func unknownFolderIs404() async throws {
        try await withHarness { harness in
            let missing = try await harness.request(Paths.folder(uniqueName("Nowhere")))
            #expect(missing.status == 404)
            let problem = try missing.json()
            #expect(problem["type"] as? String == "https://imap-gateway.dev/problems/not-found")
            #expect(problem["imap"] as? String != nil)
            let messages = try await harness.request(Paths.messages(uniqueName("Nowhere")))
            #expect(messages.status == 404)
        }
    }

    @Test func badBooleanIs400() async throws {
        try await withHarness { harness in
            let bad = try await harness.request("/folders?status=maybe")
            #expect(bad.status == 400)
            #expect(try bad.json()["parameter"] as? String == "status")
        }
    }
}
