import Foundation
@testable import Gateway
import Logging
import Testing
import TestSupport

/// OAuth 2.0 passthrough against a real Dovecot that checks tokens at a test-run introspection
/// endpoint: `Authorization: Bearer <access token>` plus `X-IMAP-User`.
@Suite("OAuth passthrough", .serialized)
struct OAuthPassthroughTests {
    private func token(_ name: String) -> String { "\(name)-\(UUID().uuidString)" }

    @Test func validTokenLogsInWithOAuthBearerOrXOAuth2WhicheverIsOffered() async throws {
        try await withOAuthServers { servers in
            let token = token("alice")
            servers.tokens.grant(token, user: "alice")
            try await withOAuthGateway(servers) { _, port in
                let response = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "alice", token: token))
                #expect(response.status == 200, "\(response.text)")
                #expect(response.text.contains("\"INBOX\""))
            }
            #expect(servers.logins(method: "OAUTHBEARER") == 1, "Dovecot offers both: the standard one is used")
            // A server without OAUTHBEARER (Outlook): XOAUTH2.
            try await withOAuthGateway(servers, configure: { $0.imap.ignoredCapabilities = ["AUTH=OAUTHBEARER"] }) { _, port in
                let response = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "alice", token: token))
                #expect(response.status == 200, "\(response.text)")
            }
            #expect(servers.logins(method: "XOAUTH2") == 1)
            // Password logins keep working beside tokens.
            try await withOAuthGateway(servers) { _, port in
                let password = try await RawHTTP.request(port: port, "/folders", user: .alice)
                #expect(password.status == 200)
            }
        }
    }

    @Test func expiredTokenIsA401WithTheProvidersDetail() async throws {
        try await withOAuthServers { servers in
            let token = token("expired")
            servers.tokens.grant(token, user: "alice")
            servers.tokens.revoke(token)
            try await withOAuthGateway(servers) { _, port in
                let response = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "alice", token: token))
                #expect(response.status == 401)
                let problem = try response.json()
                #expect(problem["type"] as? String == "https://imap-gateway.dev/problems/unauthorized")
                #expect((problem["imap"] as? String)?.contains("status=invalid_token") == true, "\(response.text)")
                #expect(response.headers["www-authenticate"]?.contains("Bearer realm=\"imap-gateway\"") == true)
                #expect(!response.text.contains(token))
            }
            #expect(servers.tokens.lookups(of: token) == 1, "one login attempt, no retry with a refused token")
        }
    }

    @Test func aTokenForAnotherUserIsRefused() async throws {
        try await withOAuthServers { servers in
            let bobs = token("bob")
            servers.tokens.grant(bobs, user: "bob")
            try await withOAuthGateway(servers, configure: { $0.imap.ignoredCapabilities = ["AUTH=OAUTHBEARER"] }) { _, port in
                let asAlice = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "alice", token: bobs))
                #expect(asAlice.status == 401)
                #expect((try asAlice.json()["imap"] as? String)?.contains("status=401") == true, "\(asAlice.text)")
                let asBob = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "bob", token: bobs))
                #expect(asBob.status == 200, "\(asBob.text)")
            }
        }
    }

    @Test func aRefreshedTokenReusesTheWarmSessionsAndOnlyAProvenTokenGetsThem() async throws {
        try await withOAuthServers { servers in
            let first = token("first")
            let refreshed = token("refreshed")
            let forged = token("forged")
            let bobs = token("bob")
            servers.tokens.grant(first, user: "alice")
            servers.tokens.grant(refreshed, user: "alice")
            servers.tokens.grant(bobs, user: "bob")
            // Counts the pool's logins; folder watchers (the mirror) would log in on their own.
            try await withOAuthGateway(servers, configure: { $0.pool.perAccount = 2; $0.mirrorEnabled = false }) { gateway, port in
                func get(_ path: String, _ token: String, as user: String = "alice") async throws -> HTTPResult {
                    try await RawHTTP.request(port: port, path, headers: oauthHeaders(user: user, token: token))
                }
                // Two folders in turn: the pool keeps a session per folder (two logins).
                for path in ["/folders/INBOX", "/folders/Sent", "/folders/INBOX", "/folders/Sent"] {
                    #expect(try await get(path, first).status == 200)
                }
                #expect(servers.tokens.lookups(of: first) == 2)
                #expect(await gateway.context.pool.counts.open == 2)

                // The client refreshed its token: one login proves it, then the warm sessions serve it.
                for path in ["/folders/INBOX", "/folders/Sent", "/folders/INBOX", "/folders/Sent", "/folders"] {
                    #expect(try await get(path, refreshed).status == 200)
                }
                #expect(servers.tokens.lookups(of: refreshed) == 1, "only the proving login")
                #expect(await gateway.context.pool.counts.open == 2, "the proving session replaced the oldest idle one")
                #expect(try await get("/folders/Sent", first).status == 200, "the old token proved itself lately too")
                #expect(servers.tokens.lookups(of: first) == 2)

                // Warm sessions exist, yet a token the server refuses gets none of them.
                let refused = try await get("/folders/INBOX", forged)
                #expect(refused.status == 401)
                #expect(servers.tokens.lookups(of: forged) == 1)
                let foreign = try await get("/folders/INBOX", bobs, as: "alice")
                #expect(foreign.status == 401, "bob's valid token does not open alice's sessions")
                #expect(try await get("/folders/INBOX", bobs, as: "bob").status == 200)

                // A revoked token keeps working only while its proof lasts.
                gateway.context.authenticator.proofs.lifetime = .zero
                servers.tokens.revoke(refreshed)
                #expect(try await get("/folders/INBOX", refreshed).status == 401)
            }
        }
    }

    @Test func simultaneousFirstRequestsWithANewTokenCostOneLogin() async throws {
        try await withOAuthServers { servers in
            let first = token("first")
            let refreshed = token("refreshed")
            let forged = token("forged")
            servers.tokens.grant(first, user: "alice")
            servers.tokens.grant(refreshed, user: "alice")
            // Counts the pool's logins; folder watchers (the mirror) would log in on their own.
            try await withOAuthGateway(servers, configure: { $0.pool.perAccount = 2; $0.mirrorEnabled = false }) { (_: Gateway, port: Int) async throws in
                func concurrently(_ count: Int, _ token: String) async throws -> [Int] {
                    try await withThrowingTaskGroup(of: Int.self) { group in
                        for index in 0..<count {
                            group.addTask {
                                let path = index.isMultiple(of: 2) ? "/folders/INBOX" : "/folders"
                                return try await RawHTTP.request(port: port, path, headers: oauthHeaders(user: "alice", token: token)).status
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                }
                for path in ["/folders/INBOX", "/folders/Sent"] {
                    #expect(try await RawHTTP.request(port: port, path, headers: oauthHeaders(user: "alice", token: first)).status == 200)
                }
                #expect(servers.tokens.lookups(of: first) == 2)

                // Six requests at once with the refreshed token: one proving login, the rest wait for it.
                #expect(try await concurrently(6, refreshed) == Array(repeating: 200, count: 6))
                #expect(servers.tokens.lookups(of: refreshed) == 1, "one login for all of them")

                // Six at once with a token the server refuses: one login, six 401s.
                #expect(try await concurrently(6, forged) == Array(repeating: 401, count: 6))
                #expect(servers.tokens.lookups(of: forged) == 1)
            }
        }
    }

    @Test func bearerWithoutUserHeaderIsNeverSentToTheServer() async throws {
        try await withOAuthServers { servers in
            let key = token("api-key")
            try await withOAuthGateway(servers) { _, port in
                let bare = try await RawHTTP.request(port: port, "/folders", headers: ["Authorization": "Bearer \(key)"])
                #expect(bare.status == 401)
                #expect((try bare.json()["detail"] as? String)?.contains("X-IMAP-User") == true)
                let malformed = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "alice", token: "not a token"))
                #expect(malformed.status == 401)
                let anonymous = try await RawHTTP.request(port: port, "/folders")
                #expect(anonymous.headers["www-authenticate"] == #"Basic realm="imap-gateway", charset="UTF-8", Bearer realm="imap-gateway""#)
            }
            #expect(servers.tokens.totalLookups == 0, "nothing reached the IMAP server")
            // Account mode takes API keys only: a request naming an IMAP user is an OAuth caller at the wrong gateway.
            try await withOAuthGateway(servers, configure: {
                $0.auth = .account(Account(user: "alice", password: DovecotUser.alice.password), apiKeyHashes: [SHA256Digest(of: Array(key.utf8))])
            }) { _, port in
                let mixed = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "alice", token: key))
                #expect(mixed.status == 401)
                #expect((try mixed.json()["detail"] as? String)?.contains("account mode") == true)
            }
        }
    }

    @Test func theTokenNeverReachesALogAtAnyLevel() async throws {
        try await withOAuthServers { servers in
            let good = token("good")
            let refused = token("refused")
            servers.tokens.grant(good, user: "alice")
            let capture = LogCapture()
            try await withOAuthGateway(servers, logger: capture.logger(level: .trace)) { _, port in
                let folders = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "alice", token: good))
                let messages = try await RawHTTP.request(port: port, "/folders/INBOX/messages", headers: oauthHeaders(user: "alice", token: good))
                let bad = try await RawHTTP.request(port: port, "/folders", headers: oauthHeaders(user: "alice", token: refused))
                #expect(folders.status == 200)
                #expect(messages.status == 200)
                #expect(bad.status == 401)
            }
            let logged = capture.text
            #expect(logged.contains("AUTHENTICATE OAUTHBEARER"), "trace logging of the IMAP exchange was captured")
            for secret in [good, refused, Data(good.utf8).base64EncodedString()] {
                #expect(!logged.contains(secret))
            }
            // Nor in the base64 SASL message, which contains it.
            #expect(!logged.contains(Data("auth=Bearer".utf8).base64EncodedString().prefix(12)))
        }
    }
}
