/// How the connection is secured.
public enum IMAPTLSMode: String, Sendable, CaseIterable {
    /// TLS from the first byte (port 993).
    case implicit
    /// Plain connect, then STARTTLS before anything else; refused if the server does not offer it.
    case startTLS = "starttls"
    /// No TLS at all (tests, local servers).
    case none
}

/// Where and how to reach an IMAP server.
public struct IMAPServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var tlsMode: IMAPTLSMode
    public var tls: TLSClientConfiguration
    /// TCP connect plus TLS handshake.
    public var connectTimeout: Duration
    /// Longest silence from the server while a command runs (so long downloads that keep
    /// flowing are not cut off); exceeding it fails the command and ends the connection.
    public var commandTimeout: Duration
    /// Time allowed for the server's greeting after connecting.
    public var greetingTimeout: Duration
    public var parserLimits: ParserLimits
    /// Capabilities to act as if the server did not offer them: a workaround for servers whose
    /// extension is broken, and how tests force fallbacks (MOVE → COPY + STORE + UID EXPUNGE).
    public var ignoredCapabilities: Set<Capability> = []
    /// Told of every command sent on connections made with this configuration (metrics).
    public var commandObserver: IMAPCommandObserver?

    public init(
        host: String, port: Int, tlsMode: IMAPTLSMode, tls: TLSClientConfiguration = .init(),
        connectTimeout: Duration = .seconds(10), commandTimeout: Duration = .seconds(60),
        greetingTimeout: Duration = .seconds(10), parserLimits: ParserLimits = .default
    ) {
        self.host = host; self.port = port; self.tlsMode = tlsMode; self.tls = tls
        self.connectTimeout = connectTimeout; self.commandTimeout = commandTimeout
        self.greetingTimeout = greetingTimeout; self.parserLimits = parserLimits
    }
}
