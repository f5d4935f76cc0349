import ArgumentParser
import Foundation
import Gateway
import Logging

/// `imap-gateway serve`: run the HTTP gateway. Every flag has an environment variable; the flag wins.
/// Names live in `ServeSetting`; values are typed and read by their `SettingValue` parser, from a
/// flag (a bad one is refused before anything starts) or from the environment (refused in `run`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP gateway.",
        discussion: "Every option can also come from the environment variable named in its help; the flag wins.")

    private typealias S = ServeSetting

    @Option(name: S.listen.name, help: S.listen.help("HOST:PORT to listen on; IPv6 as [::1]:8080.", default: "127.0.0.1:8080"),
            transform: S.listen.parse)
    var listen: ListenAddress?

    @Option(name: S.imapProvider.name,
            help: S.imapProvider.help("Fill in host, port, TLS and per-account limits for \(ProviderPreset.names); each stays overridable."),
            transform: S.imapProvider.parse)
    var imapProvider: ProviderPreset?

    @Option(name: S.imapHost.name, help: S.imapHost.help("IMAP server host name.", default: "127.0.0.1"))
    var imapHost: String?

    @Option(name: S.imapPort.name, help: S.imapPort.help("IMAP server port.", default: "993 for implicit TLS, else 143"),
            transform: S.imapPort.parse)
    var imapPort: PortNumber?

    @Option(name: S.imapTLS.name, help: S.imapTLS.help("implicit, starttls or none.", default: "implicit"), transform: S.imapTLS.parse)
    var imapTLS: IMAPSecurity?

    @Option(name: S.imapCAFile.name, help: S.imapCAFile.help("PEM file of CAs to trust for the IMAP server."))
    var imapCAFile: String?

    @Flag(name: S.imapInsecureSkipVerify.name, help: S.imapInsecureSkipVerify.flagHelp("Do not verify the IMAP server's certificate (tests only)."))
    var imapInsecureSkipVerify = false

    @Option(name: S.imapIgnoreCapability.name,
            help: S.imapIgnoreCapability.help("Act as if the IMAP server lacked this capability, e.g. MOVE; repeatable (the variable: comma-separated)."))
    var imapIgnoreCapability: [String] = []

    @Option(name: S.imapTimeout.name, help: S.imapTimeout.help("Longest wait for an IMAP command, e.g. 30s.", default: "30s"),
            transform: S.imapTimeout.parse)
    var imapTimeout: Duration?

    @Option(name: S.auth.name, help: S.auth.help("passthrough (HTTP Basic = IMAP login) or account (one configured account, Bearer API keys).",
                                                 default: "passthrough"),
            transform: S.auth.parse)
    var auth: AuthModeName?

    @Option(name: S.accountUser.name, help: S.accountUser.help("IMAP user for --auth account."))
    var accountUser: String?

    @Option(name: S.accountPasswordFile.name,
            help: S.accountPasswordFile.help("File holding the IMAP password for --auth account (or the password itself in \(S.accountPassword.environment))."))
    var accountPasswordFile: String?

    @Option(name: S.apiKeySHA256.name, help: S.apiKeySHA256.help("Comma-separated SHA-256 hex hashes of accepted API keys."),
            transform: S.apiKeySHA256.parse)
    var apiKeySHA256: APIKeyHashes?

    @Option(name: S.poolPerAccount.name, help: S.poolPerAccount.help("IMAP sessions per account at most.", default: "3"),
            transform: S.poolPerAccount.parse)
    var poolPerAccount: PositiveCount?

    @Option(name: S.accountMaxConnections.name,
            help: S.accountMaxConnections.help("IMAP connections per account at most: pooled sessions, event streams and mirror watchers together.",
                                               default: "10; a provider preset sets its own"),
            transform: S.accountMaxConnections.parse)
    var accountMaxConnections: PositiveCount?

    @Option(name: S.imapBackoffBase.name,
            help: S.imapBackoffBase.help("Shortest hold-back of new IMAP connections after a throttling answer or a refused connection.", default: "1s"),
            transform: S.imapBackoffBase.parse)
    var imapBackoffBase: Duration?

    @Option(name: S.imapBackoffMax.name,
            help: S.imapBackoffMax.help("Longest hold-back (the exponential backoff with jitter stops growing there).", default: "300s"),
            transform: S.imapBackoffMax.parse)
    var imapBackoffMax: Duration?

    @Option(name: S.oauthProofWindow.name,
            help: S.oauthProofWindow.help("How long an OAuth token's successful login lets it use the user's warm sessions (a revoked token stops within it).", default: "5m"),
            transform: S.oauthProofWindow.parse)
    var oauthProofWindow: Duration?

    @Option(name: S.poolGlobal.name, help: S.poolGlobal.help("IMAP sessions in all at most.", default: "50"), transform: S.poolGlobal.parse)
    var poolGlobal: PositiveCount?

    @Option(name: S.poolAcquireTimeout.name, help: S.poolAcquireTimeout.help("Longest wait for a free session before 503.", default: "10s"),
            transform: S.poolAcquireTimeout.parse)
    var poolAcquireTimeout: Duration?

    @Option(name: S.poolIdleTimeout.name, help: S.poolIdleTimeout.help("Idle sessions are logged out after this.", default: "300s"),
            transform: S.poolIdleTimeout.parse)
    var poolIdleTimeout: Duration?

    @Option(name: S.poolNoopAfter.name, help: S.poolNoopAfter.help("Sessions idle longer are checked with NOOP before reuse.", default: "60s"),
            transform: S.poolNoopAfter.parse)
    var poolNoopAfter: Duration?

    @Option(name: S.eventsPerAccount.name,
            help: S.eventsPerAccount.help("Open event streams (GET /folders/{folder}/events) per account at most.", default: "2"),
            transform: S.eventsPerAccount.parse)
    var eventsPerAccount: PositiveCount?

    @Option(name: S.eventsWatchedPerAccount.name,
            help: S.eventsWatchedPerAccount.help("Open event streams per account at most that share a folder watcher (mirror on; no IMAP session each).",
                                                 default: "20"),
            transform: S.eventsWatchedPerAccount.parse)
    var eventsWatchedPerAccount: PositiveCount?

    @Option(name: S.eventsGlobal.name, help: S.eventsGlobal.help("Open event streams in all at most.", default: "100"),
            transform: S.eventsGlobal.parse)
    var eventsGlobal: PositiveCount?

    @Option(name: S.eventsHeartbeat.name, help: S.eventsHeartbeat.help("Interval of the keep-alive comment on event streams, e.g. 15s.", default: "15s"),
            transform: S.eventsHeartbeat.parse)
    var eventsHeartbeat: Duration?

    @Option(name: S.eventsIdlePoll.name,
            help: S.eventsIdlePoll.help("While in IDLE, send NOOP this often, e.g. 5s: for servers that poll their own IDLE (Cyrus without idled, Courier without FAM).", default: "off"),
            transform: S.eventsIdlePoll.parse)
    var eventsIdlePoll: Duration?

    @Option(name: S.trashFolder.name,
            help: S.trashFolder.help("Folder deleted messages go to (full name), when the server's \\Trash folder or the usual names do not fit."))
    var trashFolder: String?

    @Option(name: S.corsOrigins.name, help: S.corsOrigins.help("Comma-separated origins allowed by CORS, or *."), transform: S.corsOrigins.parse)
    var corsOrigins: OriginList?

    @Option(name: S.maxUploadBytes.name, help: S.maxUploadBytes.help("Largest request body.", default: "26214400"),
            transform: S.maxUploadBytes.parse)
    var maxUploadBytes: PositiveCount?

    @Option(name: S.mirror.name,
            help: S.mirror.help("Folder mirrors: list pages, 'state' and /folders/{folder}/changes from a synchronized copy of each folder.",
                                default: "on"),
            transform: S.mirror.parse)
    var mirror: OnOff?

    @Option(name: S.mirrorMaxBytes.name,
            help: S.mirrorMaxBytes.help("Estimated bytes all folder mirrors may take together; least recently used folders go first.",
                                        default: "67108864"),
            transform: S.mirrorMaxBytes.parse)
    var mirrorMaxBytes: PositiveCount?

    @Option(name: S.mirrorWatchersPerAccount.name,
            help: S.mirrorWatchersPerAccount.help("Folder watchers (an IMAP session each, in IDLE, keeping a mirror current) per account at most; 0: none, every mirrored read revalidates.",
                                                  default: "4"),
            transform: S.mirrorWatchersPerAccount.parse)
    var mirrorWatchersPerAccount: WholeCount?

    @Option(name: S.mirrorWatchIdle.name,
            help: S.mirrorWatchIdle.help("A folder watcher without readers or event streams for this long stops, e.g. 300s.", default: "300s"),
            transform: S.mirrorWatchIdle.parse)
    var mirrorWatchIdle: Duration?

    @Option(name: S.mirrorWatchRecheck.name,
            help: S.mirrorWatchRecheck.help("A folder watcher leaves IDLE this often to NOOP and resync (notices a folder deleted and created anew), e.g. 30s.", default: "30s"),
            transform: S.mirrorWatchRecheck.parse)
    var mirrorWatchRecheck: Duration?

    @Option(name: S.bodyCacheMaxBytes.name,
            help: S.bodyCacheMaxBytes.help("Raw messages kept in memory for GET .../messages/{uid}, all accounts together; 0 turns the cache off.",
                                           default: "33554432"),
            transform: S.bodyCacheMaxBytes.parse)
    var bodyCacheMaxBytes: ByteCount?

    @Option(name: S.bodyCacheMaxMessageBytes.name,
            help: S.bodyCacheMaxMessageBytes.help("Largest message the body cache keeps.", default: "1048576"),
            transform: S.bodyCacheMaxMessageBytes.parse)
    var bodyCacheMaxMessageBytes: ByteCount?

    @Option(name: S.maxConnectionsPerClient.name,
            help: S.maxConnectionsPerClient.help("Open HTTP connections per client address at most (trusted proxies exempt).", default: "256"),
            transform: S.maxConnectionsPerClient.parse)
    var maxConnectionsPerClient: PositiveCount?

    @Option(name: S.maxUnauthenticatedPerClient.name,
            help: S.maxUnauthenticatedPerClient.help("Open HTTP connections per client address not yet authenticated.", default: "128"),
            transform: S.maxUnauthenticatedPerClient.parse)
    var maxUnauthenticatedPerClient: PositiveCount?

    @Option(name: S.reservedAuthenticatedConnections.name,
            help: S.reservedAuthenticatedConnections.help("Connection slots (of 4096) unauthenticated connections cannot fill.", default: "512"),
            transform: S.reservedAuthenticatedConnections.parse)
    var reservedAuthenticatedConnections: PositiveCount?

    @Option(name: S.trustedProxies.name,
            help: S.trustedProxies.help("Comma-separated reverse proxies (addresses or networks) whose X-Forwarded-For/Forwarded are believed."),
            transform: S.trustedProxies.parse)
    var trustedProxies: TrustedProxyList?

    @Option(name: S.loginFailureLimit.name,
            help: S.loginFailureLimit.help("Failed logins per client address and user within a minute before each login waits a penalty (1 s doubling to 15 s).", default: "5"),
            transform: S.loginFailureLimit.parse)
    var loginFailureLimit: PositiveCount?

    @Flag(name: S.ui.name, help: S.ui.flagHelp("Serve the built-in inbox page at /ui/."))
    var ui = false

    @Option(name: S.uiDirectory.name, help: S.uiDirectory.help("Where the /ui/ page's files are read from.", default: "./ui"))
    var uiDirectory: String?

    @Option(name: S.openAPIPath.name, help: S.openAPIPath.help("Where /openapi.yaml is read from.", default: "./openapi.yaml"))
    var openAPIPath: String?

    @Option(name: S.logLevel.name, help: S.logLevel.help("trace, debug, info, notice, warning, error, critical.", default: "info"),
            transform: S.logLevel.parse)
    var logLevel: Logger.Level?

    @Option(name: S.logFormat.name, help: S.logFormat.help("text or json.", default: "text"), transform: S.logFormat.parse)
    var logFormat: LogFormat?

    @Option(name: S.tlsCert.name, help: S.tlsCert.help("PEM certificate chain for HTTPS."))
    var tlsCert: String?

    @Option(name: S.tlsKey.name, help: S.tlsKey.help("PEM private key for HTTPS."))
    var tlsKey: String?

    @Flag(name: S.allowInsecurePassthrough.name,
          help: S.allowInsecurePassthrough.flagHelp("Accept passthrough passwords over plain HTTP on a non-loopback address."))
    var allowInsecurePassthrough = false

    func run() async throws {
        let environment = SettingEnvironment(variables: ProcessInfo.processInfo.environment)
        do {
            let level = try environment.value(logLevel, S.logLevel) ?? .info
            let format = try environment.value(logFormat, S.logFormat) ?? .text
            LoggingSystem.bootstrap { label in
                var handler: any LogHandler = format == .json
                    ? JSONLogHandler(label: label) : StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "imap-gateway")
            let config = try configuration(from: environment)

            let gateway = try Gateway(configuration: config, logger: logger)
            let boundPort = try await gateway.start()
            let scheme = config.tlsCertificatePath == nil ? "http" : "https"
            let shownHost = config.listen.host.contains(":") ? "[\(config.listen.host)]" : config.listen.host
            // Written straight to the file handle: print() is block-buffered when stdout is not a
            // terminal (systemd, docker logs), and this line should show at once.
            let banner = "imap-gateway listening on \(scheme)://\(shownHost):\(boundPort), IMAP server \(config.imap), auth \(config.authDescription)\n"
            FileHandle.standardOutput.write(Data(banner.utf8))
            await gateway.runUntilSignal()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// Flags over environment over defaults (the defaults are `GatewayConfiguration`'s).
    private func configuration(from environment: SettingEnvironment) throws(ConfigurationError) -> GatewayConfiguration {
        var config = GatewayConfiguration()
        if let listen = try environment.value(listen, S.listen) { config.listen = listen }
        // A provider preset first, so that every explicit setting below overrides it.
        let preset = try environment.value(imapProvider, S.imapProvider)
        preset?.apply(to: &config)
        let security = try environment.value(imapTLS, S.imapTLS) ?? preset?.endpoint.security ?? .implicitTLS
        let port = try environment.value(imapPort, S.imapPort)?.value ?? (security == .implicitTLS ? 993 : 143)
        config.imap = IMAPEndpoint(host: environment.string(imapHost, S.imapHost) ?? preset?.endpoint.host ?? "127.0.0.1",
                                   port: port, security: security,
                                   caFile: environment.string(imapCAFile, S.imapCAFile),
                                   insecureSkipVerify: environment.enabled(imapInsecureSkipVerify, S.imapInsecureSkipVerify))
        // Flags win over the environment as a whole list, like every other setting.
        let ignored = imapIgnoreCapability.isEmpty
            ? (environment.variables[S.imapIgnoreCapability.environment] ?? "") : imapIgnoreCapability.joined(separator: ",")
        config.imap.ignoredCapabilities = ignored.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let timeout = try environment.value(imapTimeout, S.imapTimeout) { config.imapCommandTimeout = timeout }
        switch try environment.value(auth, S.auth) ?? .passthrough {
        case .passthrough:
            config.auth = .passthrough
        case .account:
            let password = try accountPassword(environment)
            let hashes = try environment.value(apiKeySHA256, S.apiKeySHA256)?.digests ?? []
            config.auth = .account(Account(user: environment.string(accountUser, S.accountUser) ?? "", password: password), apiKeyHashes: hashes)
        }
        if let count = try environment.value(poolPerAccount, S.poolPerAccount) { config.pool.perAccount = count.value }
        if let count = try environment.value(accountMaxConnections, S.accountMaxConnections) { config.accountMaxConnections = count.value }
        if let wait = try environment.value(imapBackoffBase, S.imapBackoffBase) { config.imapBackoffBase = wait }
        if let wait = try environment.value(imapBackoffMax, S.imapBackoffMax) { config.imapBackoffMax = wait }
        if let window = try environment.value(oauthProofWindow, S.oauthProofWindow) { config.oauthProofWindow = window }
        if let count = try environment.value(poolGlobal, S.poolGlobal) { config.pool.global = count.value }
        if let wait = try environment.value(poolAcquireTimeout, S.poolAcquireTimeout) { config.pool.acquireTimeout = wait }
        if let wait = try environment.value(poolIdleTimeout, S.poolIdleTimeout) { config.pool.idleTimeout = wait }
        if let wait = try environment.value(poolNoopAfter, S.poolNoopAfter) { config.pool.noopAfterIdle = wait }
        if let count = try environment.value(eventsPerAccount, S.eventsPerAccount) { config.events.perAccount = count.value }
        if let count = try environment.value(eventsGlobal, S.eventsGlobal) { config.events.global = count.value }
        if let count = try environment.value(eventsWatchedPerAccount, S.eventsWatchedPerAccount) {
            config.events.watchedPerAccount = count.value
        }
        if let interval = try environment.value(eventsHeartbeat, S.eventsHeartbeat) { config.events.heartbeat = interval }
        if let list = try environment.value(corsOrigins, S.corsOrigins) { config.corsOrigins = list.origins }
        if let bytes = try environment.value(maxUploadBytes, S.maxUploadBytes) { config.maxUploadBytes = bytes.value }
        if let bytes = try environment.value(bodyCacheMaxBytes, S.bodyCacheMaxBytes) { config.bodyCacheMaxBytes = bytes.value }
        if let mode = try environment.value(mirror, S.mirror) { config.mirrorEnabled = mode == .on }
        if let bytes = try environment.value(mirrorMaxBytes, S.mirrorMaxBytes) { config.mirrorMaxBytes = bytes.value }
        if let count = try environment.value(mirrorWatchersPerAccount, S.mirrorWatchersPerAccount) {
            config.mirrorWatchersPerAccount = count.value
        }
        if let interval = try environment.value(mirrorWatchIdle, S.mirrorWatchIdle) { config.mirrorWatchIdle = interval }
        if let interval = try environment.value(mirrorWatchRecheck, S.mirrorWatchRecheck) { config.mirrorWatchRecheck = interval }
        if let bytes = try environment.value(bodyCacheMaxMessageBytes, S.bodyCacheMaxMessageBytes) {
            config.bodyCacheMaxMessageBytes = bytes.value
        }
        if let count = try environment.value(maxConnectionsPerClient, S.maxConnectionsPerClient) { config.maxConnectionsPerClient = count.value }
        if let count = try environment.value(maxUnauthenticatedPerClient, S.maxUnauthenticatedPerClient) {
            config.maxUnauthenticatedConnectionsPerClient = count.value
        }
        if let count = try environment.value(reservedAuthenticatedConnections, S.reservedAuthenticatedConnections) {
            config.reservedAuthenticatedConnections = count.value
        }
        if let list = try environment.value(trustedProxies, S.trustedProxies) { config.trustedProxies = list.networks }
        if let count = try environment.value(loginFailureLimit, S.loginFailureLimit) { config.authFailureLimit = count.value }
        if let interval = try environment.value(eventsIdlePoll, S.eventsIdlePoll) { config.events.idlePoll = interval }
        if let name = environment.string(trashFolder, S.trashFolder) { config.trashFolder = name }
        if let path = environment.string(openAPIPath, S.openAPIPath) { config.openAPIPath = path }
        config.uiEnabled = environment.enabled(ui, S.ui)
        if let path = environment.string(uiDirectory, S.uiDirectory) { config.uiDirectory = path }
        config.tlsCertificatePath = environment.string(tlsCert, S.tlsCert)
        config.tlsKeyPath = environment.string(tlsKey, S.tlsKey)
        config.allowInsecurePassthrough = environment.enabled(allowInsecurePassthrough, S.allowInsecurePassthrough)
        return config
    }

    /// From `--account-password-file` (one trailing line break dropped) or `ACCOUNT_PASSWORD`.
    private func accountPassword(_ environment: SettingEnvironment) throws(ConfigurationError) -> String {
        if let file = environment.string(accountPasswordFile, S.accountPasswordFile) {
            guard let contents = FileManager.default.contents(atPath: file), let text = String(data: contents, encoding: .utf8) else {
                throw .invalidValue(setting: S.accountPasswordFile.flag, value: file, expected: "a readable UTF-8 file")
            }
            return text.hasSuffix("\r\n") ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
        }
        // Not `string(...)`: an empty password is a password, as before.
        if let value = environment.variables[S.accountPassword.environment] { return value }
        throw .missing(setting: S.accountPassword.flag,
                       why: "--auth account needs \(S.accountPassword.environment) or --\(S.accountPasswordFile.flag)")
    }
}
