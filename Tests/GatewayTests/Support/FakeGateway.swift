import Foundation
@testable import Gateway
import GatewayTestSupport
import HTTPServer
import Logging

/// The gateway's routes over a real loopback HTTP socket, with a `FakeMailStore` in place of
/// IMAP: route logic (errors, paging edges, ETags, batches) tested in milliseconds, no Dovecot.
///
/// Wired like `Gateway.init` minus TLS and the metered real IMAP session; `GatewayContext`'s
/// init is internal, hence `@testable`.
struct FakeGateway: GatewayClient {
    let store: FakeMailStore
    let context: GatewayContext
    let server: HTTPServer
    let port: Int
}

/// Runs `body` against a gateway whose IMAP is `store` and returns only after the gateway has
/// stopped, also when `body` throws.
@discardableResult
func withFakeGateway<T>(
    _ store: FakeMailStore = FakeMailStore(), configure: (inout GatewayConfiguration) -> Void = { _ in },
    _ body: (FakeGateway) async throws -> T
) async throws -> T {
    var configuration = GatewayConfiguration()
    configuration.listen = ListenAddress(host: "127.0.0.1", port: 0)
    configuration.openAPIPath = "/nonexistent/openapi.yaml"
    configure(&configuration)
    try configuration.validate()
    var logger = Logger(label: "fake-gateway-test")
    logger.logLevel = ProcessInfo.processInfo.environment["GATEWAY_TEST_LOG"] != nil ? .debug : .critical
    let metrics = GatewayMetrics()
    let context = GatewayContext(configuration: configuration, logger: logger, openSession: store.opener,
                                 probeGreeting: { true }, openAPIDocument: nil, metrics: metrics)
    var http = HTTPServerConfiguration(host: configuration.listen.host, port: configuration.listen.port)
    http.corsAllowedOrigins = configuration.corsOrigins
    http.maxRequestBodyBytes = configuration.maxUploadBytes
    let server = HTTPServer(configuration: http, router: context.makeRouter(), logger: logger, observer: metrics)
    let port = try await server.start()
    let gateway = FakeGateway(store: store, context: context, server: server, port: port)
    func stop() async {
        context.eventStreams.shutdown()
        await server.shutdown()
        await context.pool.shutdown()
    }
    let result: T
    do {
        result = try await body(gateway)
    } catch {
        await stop()
        throw error
    }
    await stop()
    return result
}
