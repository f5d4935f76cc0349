import Logging
import Sockets

extension IMAPConnection {
    /// Connects, reads the greeting (within `greetingTimeout`), secures the connection as
    /// `tlsMode` says and learns the capabilities. Throws `IMAPError.connection` for network and
    /// TLS failures, `.bye` when the server turns us away, `.startTLSNotOffered` when STARTTLS
    /// was asked for and the server lacks it (nothing else is sent then).
    public static func connect(_ configuration: IMAPServerConfiguration, logger: Logger) async throws -> IMAPConnection {
        let stream: SocketStream
        do {
            stream = try await SocketStream.connect(
                host: configuration.host, port: configuration.port, timeout: configuration.connectTimeout,
                tls: configuration.tlsMode == .implicit ? configuration.tls : nil)
        } catch let error as SocketError {
            throw IMAPError.connection(error)
        }
        let connection = IMAPConnection(configuration: configuration, logger: logger, stream: stream)
        do {
            try await connection.exclusive { try await connection.start() }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private func start() async throws {
        try await readGreeting()
        if configuration.tlsMode == .startTLS {
            try await upgradeToTLS()
        }
        if state.withLock({ $0.serverCapabilities.isEmpty }) {
            try await send(.capability)
        }
        logger.debug("IMAP connected", metadata: ["capabilities": "\(capabilities.map(\.rawValue).sorted().joined(separator: " "))"])
    }

    private func readGreeting() async throws {
        let response: Response
        do {
            // A greeting that does not parse ("Server Unavailable. 15") is an answer, not a reason to wait.
            response = try await readResponse(timeout: configuration.greetingTimeout, skipMalformed: false)
        } catch let error as SocketError {
            throw map(error, command: "greeting")
        }
        guard case .untagged(.condition(let status, let text)) = response else {
            throw IMAPError.protocolViolation("the server's first line is not a greeting (\(ResponseSummary.describe(response)))")
        }
        state.withLock { $0.apply(.condition(status, text)) }
        switch status {
        case .ok: break
        case .preauth: state.withLock { $0.authenticated = true }
        case .bye: throw IMAPError.bye(text)
        case .no, .bad: throw IMAPError.protocolViolation("greeting with \(status.rawValue): \(text.text)")
        }
    }

    /// STARTTLS (RFC 3501 §6.2.1). Capabilities learned in clear are discarded afterwards.
    private func upgradeToTLS() async throws {
        guard !state.withLock({ $0.authenticated }) else {
            // PREAUTH: the session is already authenticated in clear; STARTTLS is not allowed now.
            throw IMAPError.protocolViolation("server greeted with PREAUTH, so STARTTLS is impossible; refusing to continue in clear")
        }
        if state.withLock({ $0.serverCapabilities.isEmpty }) {
            try await send(.capability)
        }
        guard capabilities.contains(.startTLS) else { throw IMAPError.startTLSNotOffered }
        try await send(.startTLS)
        // Bytes that arrived in clear after the OK would be read as if they came over TLS
        // (the STARTTLS command-injection attack): refuse them.
        guard reader.buffered == 0 else {
            throw IMAPError.protocolViolation("server sent data after its STARTTLS OK")
        }
        do {
            try await stream.startTLS(configuration.tls, host: configuration.host, timeout: configuration.connectTimeout)
        } catch let error as SocketError {
            throw IMAPError.connection(error)
        }
        state.withLock { $0.serverCapabilities = [] }
        try await send(.capability)
    }
}
