import Foundation
import Testing
import TestSupport
@testable import IMAPClient

@Suite("Connecting, TLS and login against Dovecot")
struct ConnectionTests {
    @Test("plain connection: alice logs in with a password holding a space, a quote and a backslash")
    func plainLogin() async throws {
        let connection = try await TestServer.session()
        #expect(connection.isAuthenticated)
        #expect(connection.isUsable)
        #expect(connection.capabilities.contains(.imap4rev1))
        // Dovecot announces more after login (e.g. MOVE, UIDPLUS).
        #expect(connection.capabilities.contains(.uidPlus))
        #expect(!connection.stream.isTLS)
        await connection.logout()
        #expect(!connection.isUsable)
        await #expect(throws: IMAPError.self) { try await connection.noop() }
    }

    @Test("LOGIN (no AUTH=PLAIN) and PLAIN without SASL-IR both log alice in", arguments: [
        Set([Capability.authPlain]), Set([Capability.saslIR]), Set([Capability.saslIR, .literalPlus, .literalMinus]),
    ])
    func loginVariants(ignoring: Set<Capability>) async throws {
        let connection = try await TestServer.session(ignoring: ignoring)
        #expect(connection.isAuthenticated)
        try await connection.noop()
        await connection.logout()
    }

    @Test("a wrong password gives authenticationFailed with the server's code")
    func wrongPassword() async throws {
        let dovecot = try await TestServer.dovecot()
        for ignoring in [Set<Capability>(), [.authPlain]] {
            let connection = try await IMAPConnection.connect(TestServer.configuration(dovecot, ignoring: ignoring), logger: TestServer.quietLogger)
            do {
                try await connection.authenticate(.password(user: "alice", password: "wrong"))
                Issue.record("login with a wrong password succeeded")
            } catch let IMAPError.authenticationFailed(text) {
                #expect(text.code == .authenticationFailed)
            }
            #expect(!connection.isAuthenticated)
            #expect(connection.isUsable, "a refused login leaves the connection usable for another try")
            connection.close()
        }
    }

    @Test("STARTTLS with the test CA upgrades the connection")
    func startTLS() async throws {
        let connection = try await TestServer.session(tls: .startTLS)
        #expect(connection.stream.isTLS)
        #expect(!connection.capabilities.contains(.startTLS), "capabilities were refreshed after STARTTLS")
        try await connection.noop()
        await connection.logout()
    }

    @Test("implicit TLS with the test CA")
    func implicitTLS() async throws {
        let connection = try await TestServer.session(tls: .implicit)
        #expect(connection.stream.isTLS)
        _ = try await connection.list()
        await connection.logout()
    }

    @Test("an untrusted certificate (no CA file) is refused, for implicit TLS and STARTTLS", arguments: [IMAPTLSMode.implicit, .startTLS])
    func untrusted(mode: IMAPTLSMode) async throws {
        let dovecot = try await TestServer.dovecot()
        let configuration = TestServer.configuration(dovecot, tls: mode, tlsConfiguration: TLSClientConfiguration())
        await expectConnectionError(configuration) { error in
            if case .certificateVerificationFailed = error { return true }
            return false
        }
    }

    @Test("a certificate for another host name is refused")
    func wrongHostName() async throws {
        let dovecot = try await TestServer.dovecot()
        let tls = TLSClientConfiguration(caFile: dovecot.caFile, serverName: "wrong.example")
        for mode in [IMAPTLSMode.implicit, .startTLS] {
            await expectConnectionError(TestServer.configuration(dovecot, tls: mode, tlsConfiguration: tls)) { error in
                if case .certificateVerificationFailed = error { return true }
                return false
            }
        }
    }

    @Test("insecureSkipVerification accepts the untrusted certificate")
    func insecure() async throws {
        let dovecot = try await TestServer.dovecot()
        let configuration = TestServer.configuration(dovecot, tls: .implicit, tlsConfiguration: TLSClientConfiguration(insecureSkipVerification: true))
        let connection = try await IMAPConnection.connect(configuration, logger: TestServer.quietLogger)
        #expect(connection.stream.isTLS)
        connection.close()
    }

    @Test("STARTTLS requested from a server without it fails and sends nothing in clear")
    func startTLSNotOffered() async throws {
        try await withDovecot(tls: false) { dovecot in
            let configuration = IMAPServerConfiguration(host: dovecot.host, port: dovecot.port, tlsMode: .startTLS)
            do {
                let connection = try await IMAPConnection.connect(configuration, logger: TestServer.quietLogger)
                connection.close()
                Issue.record("connected in clear although STARTTLS was required")
            } catch IMAPError.startTLSNotOffered {
                // expected
            } catch {
                Issue.record("expected startTLSNotOffered, got \(error)")
            }
            #expect(!String(decoding: (try? Data(contentsOf: dovecot.logFile)) ?? Data(), as: UTF8.self).contains("Login: user=<alice>"))
        }
    }

    @Test("a refused port and an unknown host fail with connection errors")
    func unreachable() async throws {
        // A port Dovecot just gave up: nothing listens there any more.
        let port = try await withDovecot(tls: false) { $0.port }
        await expectConnectionError(IMAPServerConfiguration(host: "127.0.0.1", port: port, tlsMode: .none)) { error in
            if case .connectionRefused = error { return true }
            return false
        }
        await expectConnectionError(IMAPServerConfiguration(host: "no-such-host.invalid", port: 143, tlsMode: .none)) { error in
            if case .resolveFailed = error { return true }
            return false
        }
    }

    @Test("credentials never appear in logs, descriptions or dumps")
    func noCredentialsInLogs() async throws {
        let capture = LogCapture()
        for ignoring in [Set<Capability>(), [.authPlain], [.saslIR]] {
            let connection = try await TestServer.session(ignoring: ignoring, logger: capture.logger)
            _ = try await connection.list()
            await connection.logout()
        }
        let password = DovecotUser.alice.password
        let plain = Data(([0] + Array("alice".utf8) + [0] + Array(password.utf8))).base64EncodedString()
        #expect(capture.text.contains("LOGIN <redacted>"))
        #expect(capture.text.contains("C: "))
        #expect(!capture.text.contains(password))
        #expect(!capture.text.contains("wo\\\\rd"))
        #expect(!capture.text.contains(plain))
        let credentials = IMAPCredentials.password(user: "alice", password: "s3cret")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped, "\(IMAPCredentials.xoauth2(user: "a", accessToken: "s3cret"))"] {
            #expect(!text.contains("s3cret"))
        }
    }

    @Test("many concurrent commands on one connection are serialised")
    func concurrency() async throws {
        let connection = try await TestServer.session()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    if index % 2 == 0 { try await connection.noop() } else { _ = try await connection.status(.inbox) }
                }
            }
            try await group.waitForAll()
        }
        #expect(connection.isUsable)
        await connection.logout()
    }

    private func expectConnectionError(_ configuration: IMAPServerConfiguration, _ matches: (SocketError) -> Bool) async {
        do {
            let connection = try await IMAPConnection.connect(configuration, logger: TestServer.quietLogger)
            connection.close()
            Issue.record("connecting to \(configuration.host):\(configuration.port) (\(configuration.tlsMode)) should have failed")
        } catch IMAPError.connection(let error) {
            #expect(matches(error), "unexpected socket error: \(error)")
        } catch {
            Issue.record("expected IMAPError.connection, got \(error)")
        }
    }
}
