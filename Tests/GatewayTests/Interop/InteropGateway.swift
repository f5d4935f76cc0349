import Foundation
import Gateway
import TestSupport

/// A gateway in-process on a free port in front of an interop server (Cyrus, Courier, pymap),
/// with what a test needs to know about that server's conventions. `withInteropGateway` stops it
/// before the test ends.
struct InteropGateway: GatewayClient {
    let server: InteropServer
    let gateway: Gateway
    let port: Int

    var kind: InteropServerKind { server.kind }

    /// Where a user's own folders live: Courier keeps everything below `INBOX.`.
    var folderPrefix: String { kind == .courier ? "INBOX." : "" }

    /// The folder a deleted message lands in.
    var trashName: String { kind == .courier ? "INBOX.Trash" : "Trash" }

    /// A folder name no other test uses, in this server's namespace.
    func uniqueFolder(_ prefix: String) -> String { folderPrefix + uniqueName(prefix) }

    /// A JSON request body.
    func send(_ method: String, _ path: String, json: [String: Any]) async throws -> HTTPResult {
        try await request(method, path, headers: ["Content-Type": "application/json"],
                          body: try JSONSerialization.data(withJSONObject: json))
    }
}

/// Runs `body` against a gateway in front of the shared `kind` server.
func withInteropGateway<T>(
    _ kind: InteropServerKind, configure: (inout GatewayConfiguration) -> Void = { _ in },
    _ body: (InteropGateway) async throws -> T
) async throws -> T {
    let server = try await SharedInteropServers.shared.get(kind)
    let (gateway, port) = try await GatewayHarness.startGateway(
        imap: IMAPEndpoint(host: server.host, port: server.port, security: .none), configure: configure)
    return try await withScoped(InteropGateway(server: server, gateway: gateway, port: port),
                                stop: { await $0.gateway.shutdown() }, body)
}
