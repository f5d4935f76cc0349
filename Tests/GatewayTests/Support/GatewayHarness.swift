import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gateway
import IMAPClient
import Logging
import TestSupport

/// Runs `body` against a gateway started as `GatewayHarness.start` does, and returns only after
/// the gateway has stopped, also when `body` throws: a test's servers never outlive the test.
/// This is the way tests get a gateway; `start`/`stop` stay for the rare test whose subject is
/// the stop itself.
@discardableResult
func withHarness<T>(
    dovecot: Dovecot? = nil, logger: Logger? = nil, configure: (inout GatewayConfiguration) -> Void = { _ in },
    _ body: (GatewayHarness) async throws -> T
) async throws -> T {
    try await withScoped(try await GatewayHarness.start(dovecot: dovecot, logger: logger, configure: configure),
                         stop: { await $0.stop() }, body)
}

/// A gateway running in-process on a free port against a Dovecot, and an HTTP client for it.
/// Tests use `withHarness { harness in ... }`, which stops it before the test ends.
struct GatewayHarness: GatewayClient {
    let dovecot: Dovecot
    let gateway: Gateway
    let port: Int

    /// Starts a gateway talking plain IMAP to `dovecot`; `configure` adjusts the settings. Logs go
    /// to `logger` (a `LogCapture`'s, for tests of what is logged), else nowhere unless
    /// GATEWAY_TEST_LOG is set.
    static func start(dovecot: Dovecot? = nil, logger: Logger? = nil,
                      configure: (inout GatewayConfiguration) -> Void = { _ in }) async throws -> GatewayHarness {
        let dovecot = try dovecot ?? SharedDovecot.get()
        let (gateway, port) = try await startGateway(imap: IMAPEndpoint(host: dovecot.host, port: dovecot.port, security: .none),
                                                     logger: logger, configure: configure)
        return GatewayHarness(dovecot: dovecot, gateway: gateway, port: port)
    }

    /// A gateway on a free loopback port in front of `imap` (plain IMAP), as every harness starts
    /// one (this one, the interop tests' in front of Cyrus, Courier or pymap); returns it and its port.
    static func startGateway(imap: IMAPEndpoint, logger: Logger? = nil,
                             configure: (inout GatewayConfiguration) -> Void = { _ in }) async throws -> (Gateway, Int) {
        var configuration = GatewayConfiguration()
        configuration.listen = ListenAddress(host: "127.0.0.1", port: 0)
        configuration.imap = imap
        configuration.openAPIPath = "/nonexistent/openapi.yaml"
        configure(&configuration)
        var quiet = Logger(label: "gateway-test")
        quiet.logLevel = ProcessInfo.processInfo.environment["GATEWAY_TEST_LOG"] != nil ? .debug : .critical
        let gateway = try Gateway(configuration: configuration, logger: logger ?? quiet)
        return (gateway, try await gateway.start())
    }

    func stop() async { await gateway.shutdown() }

    /// The URL session every `GatewayClient` sends with.
    static var session: URLSession { clientSession }

    /// A logged-in IMAP connection to set up folders the way a test needs them.
    func imap(_ user: DovecotUser = .alice) async throws -> IMAPConnection {
        let connection = try await IMAPConnection.connect(
            IMAPServerConfiguration(host: dovecot.host, port: dovecot.port, tlsMode: .none), logger: Logger(label: "test-imap"))
        try await connection.authenticate(.password(user: user.name, password: user.password))
        return connection
    }
}

/// Something serving the gateway's HTTP API on a loopback port: the HTTP client tests use.
protocol GatewayClient: Sendable {
    var port: Int { get }
}

extension GatewayClient {
    var base: String { "http://127.0.0.1:\(port)" }

    /// Sends a request; `user` adds HTTP Basic credentials.
    func request(_ path: String, method: String = "GET", user: DovecotUser? = .alice,
                 headers: [String: String] = [:], body: Data? = nil) async throws -> HTTPResult {
        guard let url = URL(string: base + path) else { throw HarnessError.badURL(path) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.cachePolicy = .reloadIgnoringLocalCacheData
        request.timeoutInterval = 120
        if let user {
            let token = Data("\(user.name):\(user.password)".utf8).base64EncodedString()
            request.setValue("Basic \(token)", forHTTPHeaderField: "Authorization")
        }
        // A body is JSON unless said otherwise: the gateway answers 415 to a body without its type.
        if body != nil, !headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await clientSession.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw HarnessError.notHTTP }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    /// The same with the method first (`request("HEAD", path)`).
    func request(_ method: String, _ path: String, user: DovecotUser? = .alice,
                 headers: [String: String] = [:], body: Data? = nil) async throws -> HTTPResult {
        try await request(path, method: method, user: user, headers: headers, body: body)
    }
}

/// No cache, no cookies: every request reaches the gateway.
private let clientSession: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.urlCache = nil
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.httpMaximumConnectionsPerHost = 8
    return URLSession(configuration: configuration)
}()

enum HarnessError: Error {
    case badURL(String), notHTTP, notJSON(String)
    /// The answer did not end within the request's deadline (e.g. an event stream answered 200).
    case unfinished(String)
}

/// What came back.
struct HTTPResult: Sendable {
    let status: Int
    /// Lower-cased names.
    let headers: [String: String]
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw HarnessError.notJSON(text) }
        return object
    }
}
