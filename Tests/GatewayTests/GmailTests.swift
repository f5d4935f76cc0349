import Foundation
import Gateway
import Testing

/// Gmail's X-GM-EXT-1 through the real gateway over HTTP (issue 14): labels and ids in list rows
/// and message JSON, `gmail:` searches as X-GM-RAW, and the documented 422 from a server without
/// the extension. The IMAP side is `ScriptedGmail`, which answers from the Gmail transcript.
@Suite("Gmail labels, thread ids and X-GM-RAW")
struct GmailTests {
    private static func withGateway(gmail: Bool, _ body: (GatewayHarness, ScriptedGmail) async throws -> Void) async throws {
        try await ScriptedGmail.with(gmail: gmail) { server in
            try await withHarness(configure: {
                $0.imap = IMAPEndpoint(host: "127.0.0.1", port: server.port, security: .none)
            }) { harness in
                try await body(harness, server)
            }
        }
    }

    private static func rows(_ response: HTTPResult) throws -> [Int: [String: Any]] {
        let messages = try #require(try response.json()["messages"] as? [[String: Any]], "\(response.text)")
        return Dictionary(uniqueKeysWithValues: messages.map { ($0["uid"] as? Int ?? 0, $0) })
    }

    @Test("labels, thread id and message id (64-bit, as strings) in list rows and in the message")
    func labelsAndIds() async throws {
        try await Self.withGateway(gmail: true) { harness, server in
            let list = try await harness.request("/folders/INBOX/messages")
            #expect(list.status == 200, "\(list.text)")
            let rows = try Self.rows(list)
            let first = try #require(rows[1241]?["gmail"] as? [String: Any], "\(list.text)")
            #expect(first["labels"] as? [String] == ["\\Inbox", "\\Important", "Muy Importante", "Résumé"])
            #expect(first["threadId"] as? String == "1781233154370345190")
            #expect(first["messageId"] as? String == "1781233154370345191")
            let second = try #require(rows[1243]?["gmail"] as? [String: Any], "\(list.text)")
            #expect(second["labels"] as? [String] == ["\\Sent", "Work [2024]", "[Imap]/Trash"])
            #expect(second["messageId"] as? String == "18446744073709551615")
            #expect(rows[1243]?["subject"] as? String == "Lunch 1243")

            // Asked-for fields without gmail leave it out; with it, it is there.
            let narrow = try Self.rows(try await harness.request("/folders/INBOX/messages?fields=subject"))
            #expect(narrow[1241]?["gmail"] == nil)
            let asked = try Self.rows(try await harness.request("/folders/INBOX/messages?fields=subject,gmail"))
            #expect((asked[1241]?["gmail"] as? [String: Any])?["threadId"] as? String == "1781233154370345190")

            let message = try await harness.request("/folders/INBOX/messages/1243")
            #expect(message.status == 200, "\(message.text)")
            let gmail = try #require(try message.json()["gmail"] as? [String: Any], "\(message.text)")
            #expect(gmail["labels"] as? [String] == ["\\Sent", "Work [2024]", "[Imap]/Trash"])
            #expect(gmail["threadId"] as? String == "1781233154370345190")
            #expect(gmail["messageId"] as? String == "18446744073709551615")
            #expect(try message.json()["textBody"] as? String == "See you at noon.\n", "\(message.text)")
            #expect(server.commands.contains { $0.contains("FETCH") && $0.contains("X-GM-LABELS") && $0.contains("X-GM-MSGID") })
        }
    }

    @Test("gmail: searches go out as X-GM-RAW, quoted or as a literal, never raw")
    func rawSearch() async throws {
        try await Self.withGateway(gmail: true) { harness, server in
            let query = "gmail:%22has:attachment%20older_than:2d%22"
            let found = try await harness.request("/folders/INBOX/messages?search=\(query)")
            #expect(found.status == 200, "\(found.text)")
            #expect(try Self.rows(found).keys.sorted() == [1243])
            #expect(server.commands.contains { $0.contains(" SEARCH ") && $0.hasSuffix(" X-GM-RAW \"has:attachment older_than:2d\"") }, "\(server.commands)")

            // A quote and a backslash stay inside the string; non-ASCII goes as a UTF-8 literal.
            let tricky = try await harness.request("/folders/INBOX/messages?search=gmail:%22a%5C%22%20OR%20ALL%20%5C%5C%22")
            #expect(tricky.status == 200, "\(tricky.text)")
            #expect(server.commands.contains { $0.contains(" SEARCH ") && $0.hasSuffix(#" X-GM-RAW "a\" OR ALL \\""#) }, "\(server.commands)")
            let accented = try await harness.request("/folders/INBOX/messages?search=gmail:subject:Gr%C3%BC%C3%9Fe")
            #expect(accented.status == 200, "\(accented.text)")
            #expect(server.commands.contains { $0.contains("CHARSET UTF-8 X-GM-RAW {15") && $0.hasSuffix("subject:Grüße") }, "\(server.commands)")
        }
    }

    @Test("a server without X-GM-EXT-1: no gmail member, nothing X-GM asked, 422 for gmail fields and searches")
    func withoutTheExtension() async throws {
        try await Self.withGateway(gmail: false) { harness, server in
            let list = try await harness.request("/folders/INBOX/messages")
            #expect(list.status == 200, "\(list.text)")
            let rows = try Self.rows(list)
            #expect(rows.count == 2, "\(list.text) \(server.commands)")
            #expect(rows.values.allSatisfy { $0["gmail"] == nil })
            let message = try await harness.request("/folders/INBOX/messages/1241")
            #expect(message.status == 200, "\(message.text)")
            #expect(try message.json()["gmail"] == nil)

            for path in ["/folders/INBOX/messages?fields=uid,gmail", "/folders/INBOX/messages?search=gmail:has:attachment",
                         "/folders/INBOX/messages?search=from:ann%20OR%20-gmail:in:sent"] {
                let refused = try await harness.request(path)
                #expect(refused.status == 422, "\(path): \(refused.text)")
                #expect(try refused.json()["extension"] as? String == "X-GM-EXT-1", "\(path)")
            }
            #expect(!server.commands.contains { $0.uppercased().contains("X-GM-") }, "\(server.commands)")
        }
    }
}

