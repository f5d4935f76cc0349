import Foundation
import Gateway
import IMAP
import Testing
import TestSupport

@Suite("Uploading messages", .serialized)
struct WriteUploadTests {
    @Test func uploadedBytesComeBackIdentical() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Upload")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            await imap.logout()
            // 8-bit header and body bytes, long lines, CRLF; then a 5 MiB attachment.
            let small = TestMessages.crlf("""
            From: Jörg <joerg@example.com>
            To: bob@example.com
            Subject: Grüße aus Köln
            Date: Tue, 02 Jan 2024 10:00:00 +0100
            Message-ID: <upload-1@example.com>
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Straße, 日本語, \(String(repeating: "x", count: 2000))
            """)
            let big = TestMessages.withAttachment((0..<(5 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }, filename: "big.bin")
            for (message, flags) in [(small, "\\Seen,$Uploaded"), (big, "")] {
                let response = try await harness.request(
                    Paths.messages(folder) + "?flags=" + flags.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                        + "&receivedAt=2024-01-31T09%3A30%3A00%2B01%3A00",
                    method: "POST", headers: ["Content-Type": "message/rfc822"], body: Data(message))
                #expect(response.status == 201, "\(response.text)")
                let json = try response.json()
                let uid = try #require(json["uid"] as? Int)
                #expect(response.headers["location"] == Paths.message(folder, uid: UInt32(uid)))
                let raw = try await harness.request(Paths.message(folder, uid: UInt32(uid)) + "/raw")
                #expect(raw.status == 200)
                #expect(raw.body == Data(message), "downloaded \(raw.body.count) bytes, uploaded \(message.count)")
                let parsed = try await harness.request(Paths.message(folder, uid: UInt32(uid)))
                let parsedJSON = try parsed.json()
                #expect(parsedJSON["receivedAt"] as? String == "2024-01-31T08:30:00Z")
                if !flags.isEmpty {
                    #expect(withoutRecent(parsedJSON["flags"]) == ["\\Seen", "$Uploaded"])
                    #expect(parsedJSON["subject"] as? String == "Grüße aus Köln")
                }
            }
        }
    }

    @Test func uploadErrors() async throws {
        try await withHarness(configure: { $0.maxUploadBytes = 1024 }) { harness in
            let message = Data(TestMessages.simple(subject: "small"))
            let wrongType = try await harness.request(Paths.messages("INBOX"), method: "POST",
                                                      headers: ["Content-Type": "text/plain"], body: message)
            #expect(wrongType.status == 415)
            let tooBig = try await harness.request(Paths.messages("INBOX"), method: "POST", headers: ["Content-Type": "message/rfc822"],
                                                   body: Data(repeating: 0x41, count: 4096))
            #expect(tooBig.status == 413)
            let noFolder = try await harness.request(Paths.messages(uniqueName("Missing")), method: "POST",
                                                     headers: ["Content-Type": "message/rfc822"], body: message)
            #expect(noFolder.status == 404, "\(noFolder.text)")
            let badDate = try await harness.request(Paths.messages("INBOX") + "?receivedAt=yesterday", method: "POST",
                                                    headers: ["Content-Type": "message/rfc822"], body: message)
            #expect(badDate.status == 400)
            let badFlag = try await harness.request(Paths.messages("INBOX") + "?flags=%5CRecent", method: "POST",
                                                    headers: ["Content-Type": "message/rfc822"], body: message)
            #expect(badFlag.status == 400)
        }
    }
}

@Suite("Writing folders", .serialized)
struct WriteFolderTests {
    @Test func createRenameSubscribeDelete() async throws {
        try await withHarness { harness in
            let name = uniqueName("Reports") + "/2025 ü&%[x]"
            let created = try await harness.request("/folders", method: "POST", body: jsonBody(["name": name]))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.headers["location"] == Paths.folder(name))
            #expect(try created.json()["name"] as? String == name)
            #expect(try created.json()["subscribed"] as? Bool == true)
            let summary = try await harness.request(Paths.folder(name))
            #expect(summary.status == 200)
            // The SELECT summary: a folder the user may change is not read-only, and says which flags stick.
            #expect(try summary.json()["readOnly"] as? Bool == false)
            #expect((try summary.json()["permanentFlags"] as? [String])?.contains("\\Seen") == true)

            let duplicate = try await harness.request("/folders", method: "POST", body: jsonBody(["name": name]))
            #expect(duplicate.status == 409)

            let renamedName = name + " (old)"
            let renamed = try await harness.request(Paths.folder(name), method: "PATCH", body: jsonBody(["name": renamedName]))
            #expect(renamed.status == 200, "\(renamed.text)")
            #expect(try renamed.json()["name"] as? String == renamedName)
            #expect(renamed.headers["location"] == Paths.folder(renamedName))
            #expect(try await harness.request(Paths.folder(name)).status == 404)

            let unsubscribed = try await harness.request(Paths.folder(renamedName), method: "PATCH", body: jsonBody(["subscribed": false]))
            #expect(try unsubscribed.json()["subscribed"] as? Bool == false)
            let subscribedList = try await harness.request("/folders?subscribed=true")
            let names = (try subscribedList.json()["folders"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(!names.contains(renamedName))

            #expect(try await harness.request(Paths.folder(renamedName), method: "DELETE").status == 204)
            #expect(try await harness.request(Paths.folder(renamedName), method: "DELETE").status == 404)
            #expect(try await harness.request(Paths.folder(renamedName), method: "PATCH", body: jsonBody(["subscribed": true])).status == 404)
        }
    }

    @Test func badFolderNames() async throws {
        try await withHarness { harness in
            for bad in ["", "a//b", "/lead", "trail/", "line\nbreak", "nul\u{0}"] {
                let response = try await harness.request("/folders", method: "POST", body: jsonBody(["name": bad]))
                #expect(response.status == 400, "'\(bad)' → \(response.status)")
            }
            #expect(try await harness.request(Paths.folder("INBOX"), method: "DELETE").status == 400)
            #expect(try await harness.request(Paths.folder("INBOX"), method: "PATCH", body: jsonBody(["name": "Other"])).status == 400)
            #expect(try await harness.request("/folders", method: "POST", body: jsonBody(["title": "x"])).status == 400)
        }
    }
}
