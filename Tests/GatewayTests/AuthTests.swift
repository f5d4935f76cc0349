import Foundation
@testable import Gateway
import Testing
import TestSupport

@Suite("Authentication", .serialized)
struct AuthTests {
    @Test func missingOrWrongCredentialsGet401WithAChallenge() async throws {
        try await withHarness { harness in
            let anonymous = try await RawHTTP.request(port: harness.port, "/folders")
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Basic realm=\"imap-gateway\"") == true)

            let wrong = try await RawHTTP.request(port: harness.port, "/folders", user: DovecotUser(name: "alice", password: "not-it"))
            #expect(wrong.status == 401)
            #expect(wrong.headers["www-authenticate"]?.hasPrefix("Basic") == true)
            let problem = try wrong.json()
            #expect(problem["type"] as? String == "https://imap-gateway.dev/problems/unauthorized")
            #expect(!wrong.text.contains("not-it"))

            // The right password right after a wrong one works: the wrong one never shared a session.
            let right = try await harness.request("/folders")
            #expect(right.status == 200)
            let wrongAgain = try await RawHTTP.request(port: harness.port, "/folders", user: DovecotUser(name: "alice", password: "not-it"))
            #expect(wrongAgain.status == 401)
        }
    }

    @Test func accountModeTakesBearerKeys() async throws {
        let key = "test-api-key-\(UUID().uuidString)"
        try await withHarness(configure: {
            $0.auth = .account(Account(user: DovecotUser.alice.name, password: DovecotUser.alice.password),
                               apiKeyHashes: [SHA256Digest(of: Array(key.utf8))])
        }) { harness in
            let ok = try await harness.request("/folders", user: nil, headers: ["Authorization": "Bearer \(key)"])
            #expect(ok.status == 200)
            let wrong = try await RawHTTP.request(port: harness.port, "/folders", headers: ["Authorization": "Bearer nope"])
            #expect(wrong.status == 401)
            #expect(wrong.headers["www-authenticate"] == #"Bearer realm="imap-gateway""#)
            let basic = try await RawHTTP.request(port: harness.port, "/folders", user: .alice)
            #expect(basic.status == 401)
        }
    }
}
