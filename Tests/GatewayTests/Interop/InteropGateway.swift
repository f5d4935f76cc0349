import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gateway
import Logging
import TestSupport

/// A gateway in-process on a free port in front of an interop server (Cyrus, Courier, pymap),
/// with what a test needs to know about that server's conventions. `withInteropGateway` stops it
/// before the test ends.
struct InteropGateway: Sendable {
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

    func request(_ method: String, _ path: String, user: DovecotUser? = .alice,
                 headers: [String: String] = [:], body: Data? = nil) async throws -> HTTPResult {
        guard let url = URL(string: "http://127.0.0.1:\(port)" + path) else { throw HarnessError.badURL(path) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 120
        if let user {
            let token = Data("\(user.name):\(user.password)".utf8).base64EncodedString()
            request.setValue("Basic \(token)", forHTTPHeaderField: "Authorization")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await GatewayHarness.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw HarnessError.notHTTP }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

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
    var configuration = GatewayConfiguration()
    configuration.listen = ListenAddress(host: "127.0.0.1", port: 0)
    configuration.imap = IMAPEndpoint(host: server.host, port: server.port, security: .none)
    configuration.openAPIPath = "/nonexistent/openapi.yaml"
    configure(&configuration)
    var logger = Logger(label: "interop-test")
    logger.logLevel = ProcessInfo.processInfo.environment["GATEWAY_TEST_LOG"] != nil ? .debug : .critical
    let gateway = try Gateway(configuration: configuration, logger: logger)
    let port = try await gateway.start()
    let harness = InteropGateway(server: server, gateway: gateway, port: port)
    let result: T
    do {
        result = try await body(harness)
    } catch {
        await gateway.shutdown()
        throw error
    }
    await gateway.shutdown()
    return result
}
