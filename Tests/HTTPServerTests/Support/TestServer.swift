import Foundation
import HTTPServer
import Logging
import TestSupport

/// Runs `body` against a server started as `TestServer.start` does and returns only after the
/// server has shut down, also when `body` throws: a test's server never outlives the test. This
/// is the way tests get a server; `start` stays for tests whose subject is the shutdown itself.
@discardableResult
func withTestServer<T>(
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    observer: (any HTTPServerObserver)? = nil,
    routes: (inout Router) -> Void,
    _ body: (TestServer) async throws -> T
) async throws -> T {
    try await withScoped(try await TestServer.start(configure: configure, observer: observer, routes: routes),
                         stop: { await $0.server.shutdown() }, body)
}

/// A server on a free loopback port with the routes a test gives it; logs are captured.
/// Tests use `withTestServer(routes:) { server in ... }`, which shuts it down before the test ends.
struct TestServer: Sendable {
    let server: HTTPServer
    let port: Int
    let logs: LogCapture

    static func start(
        configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        observer: (any HTTPServerObserver)? = nil,
        routes: (inout Router) -> Void
    ) async throws -> TestServer {
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        var router = Router()
        routes(&router)
        let logs = LogCapture()
        let logger = logs.logger(label: "http-test", level: .debug)
        let server = HTTPServer(configuration: configuration, router: router, logger: logger, observer: observer)
        let port = try await server.start()
        return TestServer(server: server, port: port, logs: logs)
    }

    func connect() async throws -> RawConnection {
        try await RawConnection(port: port)
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
}
