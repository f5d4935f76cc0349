import Logging
import Sockets

/// An HTTP/1.1 server on non-blocking sockets: one task per connection, keep-alive,
/// pipelining, streaming bodies both ways, graceful shutdown. Knows nothing of IMAP.
public final class HTTPServer: Sendable {
    private let configuration: HTTPServerConfiguration
    private let context: ConnectionContext

    private struct State {
        var listener: TCPListener?
        var acceptLoop: Task<Void, Never>?
        var isShutDown = false
    }

    private let state = Protected(State())

    /// A server for `router`; nothing happens until `start()`.
    public init(configuration: HTTPServerConfiguration, router: Router, logger: Logger,
                observer: (any HTTPServerObserver)? = nil) {
        self.configuration = configuration
        context = ConnectionContext(configuration: configuration, router: router,
                                    cors: CORSPolicy(origins: configuration.corsAllowedOrigins),
                                    logger: logger, observer: observer, registry: ConnectionRegistry())
    }

    /// Binds, starts accepting in the background, and returns the bound port (the real one
    /// when the configuration says 0). Throws `SocketError.listenFailed` when binding fails.
    @discardableResult
    public func start() async throws -> Int {
        let listener = try TCPListener(host: configuration.host, port: configuration.port)
        let context = self.context
        let configuration = self.configuration
        let loop = Task {
            await Self.acceptLoop(listener: listener, context: context, configuration: configuration)
        }
        state.withLock {
            $0.listener = listener
            $0.acceptLoop = loop
        }
        context.logger.info("HTTP server listening", metadata: [
            "host": "\(configuration.host)", "port": "\(listener.port)", "tls": "\(configuration.tls != nil)",
        ])
        return listener.port
    }

    /// Open connections.
    public var openConnections: Int { context.registry.count }

    /// Open connections no request has authenticated yet (see `reservedAuthenticatedConnections`).
    public var unauthenticatedConnections: Int { context.registry.unauthenticatedCount }

    /// Stops accepting, closes idle keep-alive connections, lets requests in flight finish
    /// within `shutdownGracePeriod`, then closes whatever is left and returns.
    public func shutdown() async {
        let (listener, loop) = state.withLock { state in
            defer {
                state.listener = nil
                state.isShutDown = true
            }
            return (state.listener, state.acceptLoop)
        }
        guard let listener, let loop else { return }
        context.logger.info("HTTP server shutting down", metadata: ["open-connections": "\(context.registry.count)"])
        context.registry.beginDraining()
        listener.close()

        // The accept loop ends when its last connection task has ended; race it against the
        // grace period, after which connections are closed and handlers cancelled.
        let registry = context.registry
        let grace = configuration.shutdownGracePeriod
        let deadline = Task {
            try? await Task.sleep(for: grace)
            guard !Task.isCancelled else { return }
            registry.closeAll()
            loop.cancel()
        }
        // A handler that ignores cancellation must not keep the process from exiting.
        let finished = await Self.completes(loop, within: grace + .seconds(2))
        deadline.cancel()
        if finished {
            context.logger.info("HTTP server stopped")
        } else {
            context.logger.warning("HTTP server stopped with handlers still running past the grace period",
                                   metadata: ["open-connections": "\(registry.count)"])
        }
    }

    /// Waits for `task` at most `limit`; returns whether it completed.
    private static func completes(_ task: Task<Void, Never>, within limit: Duration) async -> Bool {
        let outcome = Protected<Bool?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let settle: @Sendable (Bool) -> Void = { completed in
                let first = outcome.withLock { value in
                    guard value == nil else { return false }
                    value = completed
                    return true
                }
                if first { continuation.resume() }
            }
            Task {
                await task.value
                settle(true)
            }
            Task {
                try? await Task.sleep(for: limit)
                settle(false)
            }
        }
        return outcome.withLock { $0 } ?? false
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully and returns. `beforeShutdown`
    /// runs first: the place to end long-lived responses (event streams) that would otherwise
    /// hold the whole grace period.
    public func runUntilSignal(beforeShutdown: @Sendable () async -> Void = {}) async {
        await SignalWaiter.waitForTermination()
        context.logger.info("signal received")
        await beforeShutdown()
        await shutdown()
    }

    private static func acceptLoop(listener: TCPListener, context: ConnectionContext,
                                   configuration: HTTPServerConfiguration) async {
        await withDiscardingTaskGroup { group in
            while true {
                let stream: SocketStream
                do {
                    stream = try await listener.accept()
                } catch SocketError.closed {
                    return
                } catch {
                    // EMFILE and friends: say so and keep serving the connections we have.
                    context.logger.warning("accept failed", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(50))
                    continue
                }
                let acceptedAt = ContinuousClock.now
                let handle: ConnectionRegistry.Handle
                switch context.registry.register(stream, client: ClientAddress.host(ofPeer: stream.remoteAddress),
                                                 limits: configuration.connectionLimits) {
                case .success(let registered):
                    handle = registered
                case .failure(let reason):
                    context.observer?.connectionRejected(reason: reason.rawValue)
                    group.addTask { await rejectOverCapacity(stream, configuration: configuration, reason: reason) }
                    continue
                }
                group.addTask {
                    if let tls = configuration.tls {
                        do {
                            try await stream.acceptTLS(tls, timeout: configuration.headerTimeout)
                        } catch {
                            context.logger.debug("TLS handshake failed", metadata: [
                                "remote": "\(stream.remoteAddress)", "error": "\(error)",
                            ])
                            stream.close()
                            context.registry.unregister(handle)
                            return
                        }
                    }
                    await HTTPConnection(handle: handle, transport: stream, context: context, acceptedAt: acceptedAt).run()
                }
            }
        }
    }

    /// Over a connection cap: a short 503 and close, without reading the request.
    private static func rejectOverCapacity(_ stream: SocketStream, configuration: HTTPServerConfiguration,
                                           reason: ConnectionRegistry.Rejection) async {
        defer { stream.close() }
        if let tls = configuration.tls {
            guard (try? await stream.acceptTLS(tls, timeout: .seconds(2))) != nil else { return }
        }
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/problem+json")
        headers.set("Retry-After", "1")
        headers.set("Connection", "close")
        headers.set("Date", HTTPDate.now())
        headers.set("Server", configuration.serverHeader)
        let detail = switch reason {
        case .perClient, .perClientUnauthenticated, .unauthenticatedShare:
            "Too many open connections from your address; close some or retry shortly."
        case .capacity, .shuttingDown: "Too many open connections; retry shortly."
        }
        let body = ProblemDocument.encode(HTTPError(status: 503, detail: detail))
        headers.set("Content-Length", String(body.count))
        let wire = ResponseHead.encode(status: 503, headers: headers) + body
        try? await stream.write(wire[...], timeout: .seconds(2))
    }
}
