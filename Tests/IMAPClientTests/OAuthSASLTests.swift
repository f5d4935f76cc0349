import Foundation
import IMAP
import Testing
@testable import IMAPClient

/// OAuth 2.0 logins (RFC 7628 OAUTHBEARER, XOAUTH2) against a scripted server: which mechanism,
/// the exact client message, the error challenge and its acknowledgement.
@Suite("OAuth SASL")
struct OAuthSASLTests {
    let logger = TestServer.quietLogger

    /// Decodes the base64 SASL message of an AUTHENTICATE line or a continuation reply.
    private func decoded(_ base64: Substring) -> String? {
        Data(base64Encoded: String(base64)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("OAUTHBEARER when offered beside XOAUTH2: RFC 7628 message inline (SASL-IR); the error JSON is acknowledged with ^A and lands in the error")
    func oauthBearerPreferred() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER SASL-IR] ready\r\n")
            let line = try #require(try await side.readLine())
            let parts = line.split(separator: " ")
            #expect(parts.count == 4 && parts[1] == "AUTHENTICATE" && parts[2] == "OAUTHBEARER", "got \(line)")
            let message = try #require(decoded(parts[3]))
            #expect(message.hasPrefix("n,a=ann=2Cx=3Dy@example.com,\u{1}host=127.0.0.1\u{1}port="))
            #expect(message.hasSuffix("\u{1}auth=Bearer ya29.a0-tok_en~/+==\u{1}\u{1}"))
            let json = Data(#"{"status":"invalid_token","scope":"https://mail.google.com/","openid-configuration":"https://accounts.google.com/.well-known/openid-configuration"}"#.utf8)
            try await side.send("+ \(json.base64EncodedString())\r\n")
            #expect(try await side.readLine() == "AQ==", "RFC 7628 3.2.3: the client answers the error with ^A")
            try await side.send("\(parts[0]) NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            do {
                try await connection.authenticate(.oauth2(user: "ann,x=y@example.com", accessToken: "ya29.a0-tok_en~/+=="))
                Issue.record("OAUTHBEARER succeeded against a refusing server")
            } catch IMAPError.authenticationFailed(let text) {
                #expect(text.code == .authenticationFailed)
                #expect(text.text.contains("status=invalid_token"), "got \(text.text)")
                #expect(text.text.contains("scope=https://mail.google.com/"))
            }
            #expect(connection.isUsable)
            connection.close()
            try await server.task.value
        }
    }

    @Test("XOAUTH2 when only it is offered; without SASL-IR the message follows the empty challenge; the error gets an empty reply")
    func xoauth2Fallback() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2] ready\r\n")
            let line = try #require(try await side.readLine())
            #expect(line.hasSuffix(" AUTHENTICATE XOAUTH2"), "no initial response without SASL-IR: \(line)")
            try await side.send("+ \r\n")
            let reply = try #require(try await side.readLine())
            #expect(decoded(Substring(reply)) == "user=ann@example.com\u{1}auth=Bearer EwB4A8l6\u{1}\u{1}")
            try await side.send("+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=\r\n")
            #expect(try await side.readLine() == "", "XOAUTH2's error challenge gets an empty response")
            try await side.send("\(line.split(separator: " ")[0]) NO AUTHENTICATE failed.\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            do {
                try await connection.authenticate(.oauth2(user: "ann@example.com", accessToken: "EwB4A8l6"))
                Issue.record("XOAUTH2 succeeded against a refusing server")
            } catch IMAPError.authenticationFailed(let text) {
                #expect(text.text == "AUTHENTICATE failed. (OAuth: status=401, scope=mail, schemes=bearer)")
            }
            connection.close()
            try await server.task.value
        }
    }

    @Test("a successful OAUTHBEARER login refreshes the capabilities")
    func oauthBearerSuccess() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER SASL-IR] ready\r\n")
            let tag = try #require(try await side.readLine()?.split(separator: " ").first)
            try await side.send("\(tag) OK [CAPABILITY IMAP4rev1 IDLE MOVE] Logged in\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            try await connection.authenticate(.oauth2(user: "ann@example.com", accessToken: "token"))
            #expect(connection.capabilities.contains(Capability("MOVE")))
            connection.close()
            try await server.task.value
        }
    }

    @Test("tokens and user names that could smuggle SASL fields are refused before anything is sent",
          arguments: [("ann@example.com", "tok en"), ("ann@example.com", "tok\u{1}auth=x"), ("ann\u{1}x", "token"),
                      ("", "token"), ("ann@example.com", ""), ("ann@example.com", "=abc")])
    func refusedBeforeSending(user: String, token: String) async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER SASL-IR] ready\r\n")
            #expect(try await side.readLine() == nil, "nothing may be sent")
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            await #expect(throws: IMAPError.self) { try await connection.authenticate(.oauth2(user: user, accessToken: token)) }
            connection.close()
            try await server.task.value
        }
    }

    @Test("XOAUTH2: initial response with SASL-IR; an error challenge is answered with an empty line")
    func xoauth2() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR] ready\r\n")
            let line = try #require(try await side.readLine())
            let parts = line.split(separator: " ")
            #expect(parts.count == 4 && parts[1] == "AUTHENTICATE" && parts[2] == "XOAUTH2")
            let decoded = Data(base64Encoded: String(parts[3])).map { String(decoding: $0, as: UTF8.self) }
            #expect(decoded == "user=ann@example.com\u{1}auth=Bearer token-123\u{1}\u{1}")
            try await side.send("+ eyJzdGF0dXMiOiI0MDEifQ==\r\n")
            #expect(try await side.readLine() == "", "the error challenge gets an empty response")
            try await side.send("\(parts[0]) NO [AUTHENTICATIONFAILED] Invalid credentials\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            do {
                try await connection.authenticate(.xoauth2(user: "ann@example.com", accessToken: "token-123"))
                Issue.record("XOAUTH2 succeeded against a refusing server")
            } catch IMAPError.authenticationFailed(let text) {
                #expect(text.code == .authenticationFailed)
            }
            #expect(connection.isUsable)
            connection.close()
            try await server.task.value
        }
    }

    @Test("a mechanism the server does not offer: missing extension, nothing sent",
          arguments: [(IMAPCredentials.oauth2(user: "ann", accessToken: "token"), Capability.authOAuthBearer),
                      (IMAPCredentials.xoauth2(user: "ann", accessToken: "token"), Capability.authXOAuth2)])
    func mechanismNotOffered(credentials: IMAPCredentials, missing: Capability) async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
            #expect(try await side.readLine() == nil, "nothing may be sent")
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            do {
                try await connection.authenticate(credentials)
                Issue.record("logged in without an OAuth mechanism")
            } catch IMAPError.missingExtension(let capability) {
                #expect(capability == missing)
            }
            connection.close()
            try await server.task.value
        }
    }

    @Test("error challenges: Gmail's, Dovecot's, numbers as status; anything else is no challenge")
    func errorChallengeParsing() {
        let gmail = Data(#"{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}"#.utf8).base64EncodedString()
        #expect(OAuthErrorChallenge(challenge: gmail)?.description == "status=400, scope=https://mail.google.com/, schemes=Bearer")
        let numeric = Data(#"{"status":401}"#.utf8).base64EncodedString()
        #expect(OAuthErrorChallenge(challenge: numeric)?.status == "401")
        let control = Data("{\"status\":\"bad\\u0001\\nx\"}".utf8).base64EncodedString()
        #expect(OAuthErrorChallenge(challenge: control)?.status == "badx")
        for text in ["", " ", "not base64!", Data("[1,2]".utf8).base64EncodedString(), Data("{}".utf8).base64EncodedString()] {
            #expect(OAuthErrorChallenge(challenge: text) == nil, "\(text)")
        }
    }

    @Test("descriptions never show the token")
    func redacted() {
        let credentials = IMAPCredentials.oauth2(user: "ann", accessToken: "s3cret-token")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains("s3cret"), "\(text)")
        }
    }
}
