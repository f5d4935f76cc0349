import Foundation
import HTTPServer
import IMAPClient
import Logging
import Sockets

/// The whole gateway in one object: HTTP server, routes, session pool. `imap-gateway serve`
/// runs one; tests run one in-process on port 0.
public final class Gateway: Sendable {
    public let configuration: GatewayConfiguration
    public let context: GatewayContext
    private let server: HTTPServer
    private let logger: Logger

    /// Builds everything; nothing listens or connects until `start()`.
    /// Throws `ConfigurationError` for unusable settings and when the TLS certificate cannot be loaded.
    public convenience init(configuration: GatewayConfiguration, logger: Logger) throws {
        let metrics = GatewayMetrics()
        let imap = IMAPConnectionSession.serverConfiguration(for: configuration, commandObserver: metrics.imapCommand)
        try self.init(
            configuration: configuration, logger: logger, metrics: metrics,
            openSession: { account throws(IMAPError) in
                try await IMAPConnectionSession.open(imap, account: account, logger: logger)
            },
            probeGreeting: { await IMAPConnectionSession.probeGreeting(imap, within: configuration.readinessTimeout, logger: logger) })
    }

    /// Builds the gateway on another way to IMAP: `openSession` opens a logged-in `MailSession`
    /// for an account (the real one above; an in-memory store in route tests) and
    /// `probeGreeting` answers `/ready`. Everything else — routes, pool, HTTP server, limits —
    /// is the same as in production, so tests exercise the wiring users get.
    public init(configuration: GatewayConfiguration, logger: Logger, metrics: GatewayMetrics,
                openSession: @escaping SessionOpener, probeGreeting: @escaping @Sendable () async -> Bool) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        let openAPI = FileManager.default.contents(atPath: configuration.openAPIPath).map { Array($0) }
        if openAPI == nil {
            logger.warning("OpenAPI document not found; /openapi.yaml will answer 404", metadata: ["path": "\(configuration.openAPIPath)"])
        }
        context = GatewayContext(configuration: configuration, logger: logger, openSession: openSession,
                                 probeGreeting: probeGreeting, openAPIDocument: openAPI, metrics: metrics)

        var http = HTTPServerConfiguration(host: configuration.listen.host, port: configuration.listen.port)
        http.corsAllowedOrigins = configuration.corsOrigins
        http.maxRequestBodyBytes = configuration.maxUploadBytes
        http.maxConnectionsPerClient = configuration.maxConnectionsPerClient
        http.maxUnauthenticatedConnectionsPerClient = configuration.maxUnauthenticatedConnectionsPerClient
        http.reservedAuthenticatedConnections = configuration.reservedAuthenticatedConnections
        http.trustedProxies = configuration.trustedProxies
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            do {
                http.tls = try TLSServerContext(certificateFile: certificate, privateKeyFile: key)
            } catch {
                throw ConfigurationError.invalidValue(setting: "TLS certificate/key", value: "\(certificate), \(key)",
                                                      expected: "a readable PEM certificate chain and matching key (\(error))")
            }
        }
        server = HTTPServer(configuration: http, router: context.makeRouter(), logger: logger, observer: metrics)
    }

    /// Starts listening; returns the bound port (the real one when the configuration says 0).
    @discardableResult
    public func start() async throws -> Int {
        try await server.start()
    }

    /// Serves until SIGTERM or SIGINT, then shuts down as `shutdown()` does.
    public func runUntilSignal() async {
        await server.runUntilSignal(beforeShutdown: { [context] in context.eventStreams.shutdown() })
        await context.watchers?.shutdown()
        await context.pool.shutdown()
        logger.info("Gateway stopped")
    }

    /// Stops taking requests, ends event streams (they would otherwise last the whole grace
    /// period), lets requests in flight finish, then logs out every IMAP session.
    public func shutdown() async {
        context.eventStreams.shutdown()
        await server.shutdown()
        await context.watchers?.shutdown()
        await context.pool.shutdown()
        logger.info("Gateway stopped")
    }
}
