import Foundation
import Gateway
import GatewayTestSupport
import Logging
import TestSupport

/// The gateway's routes over a real loopback HTTP socket, with a `FakeMailStore` in place of
/// IMAP: route logic (errors, paging edges, ETags, batches) tested in milliseconds, no Dovecot.
/// Built by the same `Gateway` initializer as production, only the session opener differs.
struct FakeGateway: GatewayClient {
    let store: FakeMailStore
    let gateway: Gateway
    let port: Int

    var context: GatewayContext { gateway.context }
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
    // The in-memory store tells no session of another's changes (no untagged EXISTS, EXPUNGE or
    // FETCH, IDLE reports nothing), which is what keeps a folder mirror current: the routes'
    // logic is tested on the IMAP read path here, the mirror against Dovecot (Mirror*Tests).
    configuration.mirrorEnabled = false
    configure(&configuration)
    var logger = Logger(label: "fake-gateway-test")
    logger.logLevel = ProcessInfo.processInfo.environment["GATEWAY_TEST_LOG"] != nil ? .debug : .critical
    let gateway = try Gateway(configuration: configuration, logger: logger, metrics: GatewayMetrics(),
                              openSession: store.opener, probeGreeting: { true })
    let port = try await gateway.start()
    return try await withScoped(FakeGateway(store: store, gateway: gateway, port: port), stop: { await $0.gateway.shutdown() }, body)
}
