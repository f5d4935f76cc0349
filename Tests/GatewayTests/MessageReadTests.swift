import Foundation
import Gateway
import Testing
import TestSupport

@Suite("Reading one message", .serialized)
struct MessageReadTests {
    static let latin1 = TestMessages.crlf("""
        From: =?ISO-8859-1?Q?Ren=E9?= <rene@example.com>
        To: a@example.com, "Doe, John" <john@example.com>
        Cc: Team: x@example.com, y@example.com;
        Subject: =?ISO-8859-1?Q?caf=E9?=
        Date: Tue, 1 Jul 2003 10:52:37 +0200
        Message-ID: <latin@example.com>
        References: <a@example.com> <b@example.com>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=ISO-8859-1
        Content-Transfer-Encoding: quoted-printable

        Voil=E0 un caf=E9.
        """)

    static let koi8 = TestMessages.crlf("""
        From: a@example.com
        Subject: =?KOI8-R?B?8NLJ18XU?=
        Date: Tue, 1 Jul 2003 10:52:37 +0000
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="b"

        --b
        Content-Type: text/plain; charset=KOI8-R
        Content-Transfer-Encoding: base64

        8NLJ18XUINfTxc0h
        --b
        Content-Type: text/html; charset=UTF-8

        <p>Привет всем!</p>
        --b--
        """)

    @Test func messagesInSeveralCharsetsComeBackDecoded() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Charsets")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [Self.latin1, Self.koi8])

            let first = try await harness.request(Paths.message(folder, uid: 1))
            #expect(first.status == 200)
            let latin = try first.json()
            #expect(latin["subject"] as? String == "café")
            #expect(latin["textBody"] as? String == "Voilà un café.")
            #expect(latin["htmlBody"] is NSNull)
            #expect(latin["sentAt"] as? String == "2003-07-01T10:52:37+02:00")
            #expect((latin["from"] as? [[String: Any]])?.first?["name"] as? String == "René")
            let to = latin["to"] as? [[String: Any]] ?? []
            #expect(to.count == 2)
            #expect(to.last?["name"] as? String == "Doe, John")
            #expect((latin["cc"] as? [[String: Any]])?.count == 2)
            #expect(latin["bcc"] as? [Any] != nil)
            #expect(latin["references"] as? [String] == ["<a@example.com>", "<b@example.com>"])
            #expect(latin["decodingProblems"] as? [String] == [])
            let headers = latin["headers"] as? [[String: Any]] ?? []
            #expect(headers.first?["name"] as? String == "From")

            let second = try await harness.request(Paths.message(folder, uid: 2))
            let russian = try second.json()
            #expect(russian["subject"] as? String == "Привет")
            #expect(russian["textBody"] as? String == "Привет всем!")
            #expect((russian["htmlBody"] as? String)?.contains("Привет всем!") == true)
        }
    }

    @Test func attachmentsAreListedWithLinks() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Attach")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.withAttachment(Array(repeating: 7, count: 1000), filename: "Bericht für Jörg.pdf"),
            ])
            let message = try await harness.request(Paths.message(folder, uid: 1)).json()
            let attachment = try #require((message["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["partId"] as? String == "2")
            #expect(attachment["filename"] as? String == "Bericht für Jörg.pdf")
            #expect(attachment["contentType"] as? String == "application/octet-stream")
            #expect(attachment["href"] as? String == Paths.part(folder, uid: 1, partId: "2"))
            #expect(message["hasAttachment"] as? Bool == true)
            #expect(message["textBody"] as? String == "See the attachment.")
        }
    }

    @Test func largeMessagesAreReadByTheirTextParts() async throws {
        try await withHarness(configure: { $0.fullMessageFetchLimit = 2000 }) { harness in
            let folder = uniqueName("Large")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.withAttachment(Array(repeating: 1, count: 50_000), filename: "big.bin", text: "Only the text."),
            ])
            let message = try await harness.request(Paths.message(folder, uid: 1)).json()
            #expect(message["truncated"] as? Bool == true)
            #expect(message["textBody"] as? String == "Only the text.")
            #expect(message["subject"] as? String == "With attachment")
            let attachment = try #require((message["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["partId"] as? String == "2")
            #expect(attachment["filename"] as? String == "big.bin")
        }
    }

    @Test func etagGives304UntilTheFlagsChange() async throws {
        try await withHarness { harness in
            let folder = uniqueName("ETag")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "tagged")])
            let first = try await harness.request(Paths.message(folder, uid: 1))
            let tag = try #require(first.headers["etag"])
            let cached = try await harness.request(Paths.message(folder, uid: 1), headers: ["If-None-Match": tag])
            #expect(cached.status == 304)
            #expect(cached.headers["etag"] == tag)
            let other = try await harness.request(Paths.message(folder, uid: 1), headers: ["If-None-Match": "\"something-else\""])
            #expect(other.status == 200)
        }
    }

    @Test func unknownAndInvalidUIDs() async throws {
        try await withHarness { harness in
            let folder = uniqueName("UIDs")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "only")])
            let missing = try await harness.request(Paths.message(folder, uid: 999))
            #expect(missing.status == 404)
            #expect(try missing.json()["type"] as? String == "https://imap-gateway.dev/problems/not-found")
            for bad in ["0", "abc", "-1", "4294967296", "1.5"] {
                let response = try await harness.request(Paths.messages(folder) + "/" + bad)
                #expect(response.status == 400, "uid \(bad)")
            }
            #expect(try await harness.request(Paths.message(folder, uid: 999) + "/raw").status == 404)
            #expect(try await harness.request(Paths.message(folder, uid: 1) + "/parts/9").status == 404)
            #expect(try await harness.request(Paths.message(folder, uid: 1) + "/parts/x").status == 400)
        }
    }
}
