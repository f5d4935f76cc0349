import Foundation
import Gateway
import Logging
import Sockets
import Testing
import TestSupport

/// Runs `body` against a gateway whose every log line (trace level) is captured.
private func withRecordedGateway<T>(configure: (inout GatewayConfiguration) -> Void = { _ in },
                                    _ body: (GatewayHarness, LogCapture) async throws -> T) async throws -> T {
    let capture = LogCapture()
    return try await withHarness(logger: capture.logger(label: "ticket-test"), configure: configure) { harness in
        try await body(harness, capture)
    }
}

/// `POST /tickets` for `path` as `user`; the JSON answer.
private func ticket(_ harness: GatewayHarness, _ path: String, user: DovecotUser = .alice) async throws -> [String: Any] {
    let body = try JSONSerialization.data(withJSONObject: ["path": path])
    let answer = try await harness.request("/tickets", method: "POST", user: user,
                                           headers: ["Content-Type": "application/json"], body: body)
    #expect(answer.status == 201, "\(answer.text)")
    return try answer.json()
}

@Suite("URL tickets for EventSource and downloads", .serialized)
struct BrowserTicketTests {
    @Test("A ticket opens its download once, without credentials; the second use is a 401 problem")
    func singleUse() async throws {
        try await withRecordedGateway { harness, _ in
            let folder = uniqueName("Ticket")
            let message = TestMessages.simple(subject: "ticketed")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [message])
            let path = Paths.message(folder, uid: 1) + "/raw"
            let issued = try await ticket(harness, path)
            let url = try #require(issued["url"] as? String)
            let token = try #require(issued["ticket"] as? String)
            #expect(url == path + "?ticket=" + token)
            #expect(token.count >= 43)  // 256 bits
            #expect((issued["expiresIn"] as? Int) == 30)

            let first = try await RawHTTP.request(port: harness.port, url)
            #expect(first.status == 200)
            #expect(Array(first.body) == message)
            let second = try await RawHTTP.request(port: harness.port, url)
            #expect(second.status == 401)
            #expect(second.headers["content-type"] == "application/problem+json")
            #expect(second.text.contains("invalid-ticket"))
            // A challenge as every 401 needs, but not Basic: no browser login dialog.
            #expect(second.headers["www-authenticate"] == #"Ticket realm="imap-gateway""#)
        }
    }

    @Test("An expired ticket is refused as expired")
    func expiry() async throws {
        try await withRecordedGateway(configure: { $0.ticketLifetime = .zero }) { harness, _ in
            let folder = uniqueName("Expiry")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "x")])
            let issued = try await ticket(harness, Paths.message(folder, uid: 1) + "/raw")
            let used = try await RawHTTP.request(port: harness.port, try #require(issued["url"] as? String))
            #expect(used.status == 401)
            #expect(used.text.contains("expired"))
        }
    }

    @Test("A ticket is bound to its path: another message, folder or route is a 403 or 401, and it is used up")
    func boundToPath() async throws {
        try await withRecordedGateway { harness, _ in
            let folder = uniqueName("Scope")
            try harness.dovecot.deliver(user: "alice", folder: folder,
                                        messages: [TestMessages.simple(subject: "one"), TestMessages.simple(subject: "two")])
            let issued = try await ticket(harness, Paths.message(folder, uid: 1) + "/raw")
            let token = try #require(issued["ticket"] as? String)
            let other = try await RawHTTP.request(port: harness.port, Paths.message(folder, uid: 2) + "/raw?ticket=" + token)
            #expect(other.status == 403)
            #expect(other.text.contains("ticket-scope"))
            // Presented once, gone: not even its own path takes it now.
            #expect(try await RawHTTP.request(port: harness.port, try #require(issued["url"] as? String)).status == 401)

            // A route that takes no tickets ignores one: without credentials it stays a 401.
            let listing = try await ticket(harness, Paths.message(folder, uid: 1) + "/raw")
            let folderRead = try await RawHTTP.request(port: harness.port, Paths.folder(folder) + "?ticket=" + (listing["ticket"] as? String ?? ""))
            #expect(folderRead.status == 401)

            // No tickets are issued for other routes.
            let body = try JSONSerialization.data(withJSONObject: ["path": Paths.folder(folder)])
            let refused = try await harness.request("/tickets", method: "POST", headers: ["Content-Type": "application/json"], body: body)
            #expect(refused.status == 422)
            #expect(refused.text.contains("ticket-path"))
        }
    }

    @Test("A ticket acts for the account that asked for it, and never for another one")
    func boundToAccount() async throws {
        try await withRecordedGateway { harness, _ in
            let folder = uniqueName("Account")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "alice's")])
            let path = Paths.message(folder, uid: 1) + "/raw"
            // Bob has no such folder: his own request is a 404.
            #expect(try await harness.request(path, user: .bob).status == 404)
            let issued = try await ticket(harness, path)
            let asBob = try await RawHTTP.request(port: harness.port, try #require(issued["url"] as? String), user: .bob)
            #expect(asBob.status == 403)
            #expect(asBob.text.contains("ticket-account"))

            let again = try await ticket(harness, path)
            let asAlice = try await RawHTTP.request(port: harness.port, try #require(again["url"] as? String), user: .alice)
            #expect(asAlice.status == 200)
            #expect(asAlice.text.contains("alice's"))
        }
    }

    @Test("Asking for a ticket checks the credentials and the folder first")
    func issueChecks() async throws {
        try await withRecordedGateway { harness, _ in
            let header = "Basic " + Data("alice:wrong".utf8).base64EncodedString()
            // URLSession on Linux hangs on a 401 with a challenge: send it raw.
            let refused = try await RawPOST.json(port: harness.port, "/tickets", #"{"path":"/folders/INBOX/events"}"#,
                                                 headers: ["Authorization": header])
            #expect(refused.status == 401)
            let body = try JSONSerialization.data(withJSONObject: ["path": "/folders/" + uniqueName("Missing") + "/events"])
            let missing = try await harness.request("/tickets", method: "POST", headers: ["Content-Type": "application/json"], body: body)
            #expect(missing.status == 404)
        }
    }

    @Test("Neither the ticket nor the credentials it stands for reach any log line")
    func neverLogged() async throws {
        try await withRecordedGateway { harness, logs in
            let folder = uniqueName("Logs")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "x")])
            let issued = try await ticket(harness, Paths.message(folder, uid: 1) + "/raw")
            let token = try #require(issued["ticket"] as? String)
            let url = try #require(issued["url"] as? String)
            #expect(try await RawHTTP.request(port: harness.port, url).status == 200)
            #expect(try await RawHTTP.request(port: harness.port, url).status == 401)
            #expect(try await RawHTTP.request(port: harness.port, Paths.message(folder, uid: 2) + "/raw?ticket=" + token).status == 401)
            let lines = logs.all.map { "\($0.level) \($0.everything)" }
            #expect(lines.contains { $0.contains("/raw?ticket") }, "the access log names the parameter")
            #expect(!lines.isEmpty)
            for line in lines {
                #expect(!line.contains(token), "ticket in log: \(line)")
                #expect(!line.contains(DovecotUser.alice.password), "password in log: \(line)")
            }
        }
    }
}

/// A request with a body over a raw socket, for answers URLSession on Linux cannot deliver (a
/// 401 with a challenge makes it wait for credentials).
enum RawPOST {
    static func json(port: Int, _ path: String, _ body: String, contentType: String = "application/json",
                     headers: [String: String] = [:]) async throws -> HTTPResult {
        var fields = headers
        fields["Content-Type"] = contentType
        fields["Content-Length"] = String(body.utf8.count)
        return try await RawHTTP.request(port: port, path, method: "POST", headers: fields, body: body)
    }
}
