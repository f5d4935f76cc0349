import Foundation
import Gateway
import Logging
import TestSupport

/// A Dovecot that also takes OAuth 2.0 tokens (passdb oauth2) and the introspection endpoint it
/// asks, both the test's own: `withOAuthServers` stops them before the test ends.
struct OAuthServers: Sendable {
    let dovecot: Dovecot
    let tokens: TokenIntrospectionServer

    /// Dovecot's log lines naming a successful login by `method` (XOAUTH2, OAUTHBEARER).
    func logins(method: String) -> Int {
        let log = (try? String(contentsOf: dovecot.logFile, encoding: .utf8)) ?? ""
        return log.components(separatedBy: "\n").filter { $0.contains("Login: user=") && $0.contains("method=\(method),") }.count
    }
}

func withOAuthServers<T>(_ body: (OAuthServers) async throws -> T) async throws -> T {
    let tokens = try TokenIntrospectionServer.start()
    let dovecot: Dovecot
    do {
        dovecot = try Dovecot.start(tls: false, oauth2IntrospectionURL: tokens.url)
    } catch {
        tokens.stop()
        throw error
    }
    defer {
        dovecot.stop()
        tokens.stop()
    }
    return try await body(OAuthServers(dovecot: dovecot, tokens: tokens))
}

/// A gateway in front of `servers.dovecot`, logging to `logger`; stopped before this returns.
func withOAuthGateway<T>(
    _ servers: OAuthServers, logger: Logger? = nil, configure: (inout GatewayConfiguration) -> Void = { _ in },
    _ body: (Gateway, Int) async throws -> T
) async throws -> T {
    let (gateway, port) = try await GatewayHarness.startGateway(
        imap: IMAPEndpoint(host: servers.dovecot.host, port: servers.dovecot.port, security: .none), logger: logger, configure: configure)
    return try await withScoped(gateway, stop: { await $0.shutdown() }) { gateway in try await body(gateway, port) }
}

/// `Authorization: Bearer <token>` and `X-IMAP-User: <user>`: how an OAuth caller authenticates.
func oauthHeaders(user: String, token: String) -> [String: String] {
    ["Authorization": "Bearer \(token)", "X-IMAP-User": user]
}
