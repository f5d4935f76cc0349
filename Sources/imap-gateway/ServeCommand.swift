import ArgumentParser
import Foundation
import Gateway
import Logging

/// `imap-gateway serve`: run the HTTP gateway. Every flag has an environment variable; the flag wins.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP gateway.",
        discussion: "Every option can also come from the environment variable named in its help; the flag wins.")

    @Option(name: .long, help: "HOST:PORT to listen on; IPv6 as [::1]:8080. (LISTEN, default 127.0.0.1:8080)")
    var listen: String?

    @Option(name: .customLong("imap-host"), help: "IMAP server host name. (IMAP_HOST, default 127.0.0.1)")
    var imapHost: String?

    @Option(name: .customLong("imap-port"), help: "IMAP server port. (IMAP_PORT, default 993 for implicit TLS, else 143)")
    var imapPort: String?

    @Option(name: .customLong("imap-tls"), help: "implicit, starttls or none. (IMAP_TLS, default implicit)")
    var imapTLS: String?

    @Option(name: .customLong("imap-ca-file"), help: "PEM file of CAs to trust for the IMAP server. (IMAP_CA_FILE)")
    var imapCAFile: String?

    @Flag(name: .customLong("imap-insecure-skip-verify"), help: "Do not verify the IMAP server's certificate (tests only). (IMAP_INSECURE_SKIP_VERIFY=1)")
    var imapInsecureSkipVerify = false

    @Option(name: .customLong("imap-ignore-capability"),
            help: "Act as if the IMAP server lacked this capability, e.g. MOVE; repeatable. (IMAP_IGNORE_CAPABILITIES, comma-separated)")
    var imapIgnoreCapability: [String] = []

    @Option(name: .customLong("imap-timeout"), help: "Longest wait for an IMAP command, e.g. 30s. (IMAP_TIMEOUT, default 30s)")
    var imapTimeout: String?

    @Option(name: .long, help: "passthrough (HTTP Basic = IMAP login) or account (one configured account, Bearer API keys). (AUTH_MODE)")
    var auth: String?

    @Option(name: .customLong("account-user"), help: "IMAP user for --auth account. (ACCOUNT_USER)")
    var accountUser: String?

    @Option(name: .customLong("account-password-file"), help: "File holding the IMAP password for --auth account (or ACCOUNT_PASSWORD).")
    var accountPasswordFile: String?

    @Option(name: .customLong("api-key-sha256"), help: "Comma-separated SHA-256 hex hashes of accepted API keys. (API_KEY_SHA256)")
    var apiKeySHA256: String?

    @Option(name: .customLong("pool-per-account"), help: "IMAP sessions per account at most. (POOL_PER_ACCOUNT, default 3)")
    var poolPerAccount: String?

    @Option(name: .customLong("pool-global"), help: "IMAP sessions in all at most. (POOL_GLOBAL, default 50)")
    var poolGlobal: String?

    @Option(name: .customLong("pool-acquire-timeout"), help: "Longest wait for a free session before 503. (POOL_ACQUIRE_TIMEOUT, default 10s)")
    var poolAcquireTimeout: String?

    @Option(name: .customLong("pool-idle-timeout"), help: "Idle sessions are logged out after this. (POOL_IDLE_TIMEOUT, default 300s)")
    var poolIdleTimeout: String?

    @Option(name: .customLong("pool-noop-after"), help: "Sessions idle longer are checked with NOOP before reuse. (POOL_NOOP_AFTER, default 60s)")
    var poolNoopAfter: String?

    @Option(name: .customLong("events-per-account"), help: "Open event streams (GET /folders/{folder}/events) per account at most. (EVENTS_PER_ACCOUNT, default 2)")
    var eventsPerAccount: String?

    @Option(name: .customLong("events-global"), help: "Open event streams in all at most. (EVENTS_GLOBAL, default 100)")
    var eventsGlobal: String?

    @Option(name: .customLong("events-heartbeat"), help: "Interval of the keep-alive comment on event streams, e.g. 15s. (EVENTS_HEARTBEAT, default 15s)")
    var eventsHeartbeat: String?

    @Option(name: .customLong("cors-origins"), help: "Comma-separated origins allowed by CORS, or *. (CORS_ORIGINS)")
    var corsOrigins: String?

    @Option(name: .customLong("max-upload-bytes"), help: "Largest request body. (MAX_UPLOAD_BYTES, default 26214400)")
    var maxUploadBytes: String?

    @Option(name: .customLong("openapi-path"), help: "Where /openapi.yaml is read from. (OPENAPI_PATH, default ./openapi.yaml)")
    var openAPIPath: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical. (LOG_LEVEL, default info)")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "text or json. (LOG_FORMAT, default text)")
    var logFormat: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain for HTTPS. (TLS_CERT)")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for HTTPS. (TLS_KEY)")
    var tlsKey: String?

    @Flag(name: .customLong("allow-insecure-passthrough"), help: "Accept passthrough passwords over plain HTTP on a non-loopback address. (ALLOW_INSECURE_PASSTHROUGH=1)")
    var allowInsecurePassthrough = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ flag: String?, _ name: String) -> String? {
            if let flag { return flag }
            if let value = environment[name], !value.isEmpty { return value }
            return nil
        }
        func enabled(_ flag: Bool, _ name: String) -> Bool {
            flag || ["1", "true", "yes"].contains(environment[name]?.lowercased() ?? "")
        }

        do {
            let level = try SettingParsers.logLevel(setting(logLevel, "LOG_LEVEL") ?? "info")
            let format = setting(logFormat, "LOG_FORMAT") ?? "text"
            guard format == "text" || format == "json" else {
                throw ConfigurationError.invalidValue(setting: "log-format", value: format, expected: "text or json")
            }
            LoggingSystem.bootstrap { label in
                var handler: any LogHandler = format == "json"
                    ? JSONLogHandler(label: label) : StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "imap-gateway")

            var config = GatewayConfiguration()
            if let listen = setting(listen, "LISTEN") { config.listen = try ListenAddress(parsing: listen) }
            let security = try SettingParsers.imapSecurity(setting(imapTLS, "IMAP_TLS") ?? "implicit")
            let port = try setting(imapPort, "IMAP_PORT").map { text throws(ConfigurationError) in
                let value = try SettingParsers.positiveInt(text, setting: "imap-port")
                guard value <= 65535 else { throw ConfigurationError.invalidValue(setting: "imap-port", value: text, expected: "1-65535") }
                return value
            } ?? (security == .implicitTLS ? 993 : 143)
            config.imap = IMAPEndpoint(host: setting(imapHost, "IMAP_HOST") ?? "127.0.0.1", port: port, security: security,
                                       caFile: setting(imapCAFile, "IMAP_CA_FILE"),
                                       insecureSkipVerify: enabled(imapInsecureSkipVerify, "IMAP_INSECURE_SKIP_VERIFY"))
            // Flags win over the environment as a whole list, like every other setting.
            let ignored = imapIgnoreCapability.isEmpty ? (environment["IMAP_IGNORE_CAPABILITIES"] ?? "") : imapIgnoreCapability.joined(separator: ",")
            config.imap.ignoredCapabilities = ignored.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let text = setting(imapTimeout, "IMAP_TIMEOUT") {
                config.imapCommandTimeout = try SettingParsers.duration(text, setting: "imap-timeout")
            }
            switch setting(auth, "AUTH_MODE") ?? "passthrough" {
            case "passthrough":
                config.auth = .passthrough
            case "account":
                let password: String
                if let file = setting(accountPasswordFile, "ACCOUNT_PASSWORD_FILE") {
                    guard let contents = FileManager.default.contents(atPath: file), let text = String(data: contents, encoding: .utf8) else {
                        throw ConfigurationError.invalidValue(setting: "account-password-file", value: file, expected: "a readable UTF-8 file")
                    }
                    password = text.hasSuffix("\r\n") ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
                } else if let value = environment["ACCOUNT_PASSWORD"] {
                    password = value
                } else {
                    throw ConfigurationError.missing(setting: "account password", why: "--auth account needs ACCOUNT_PASSWORD or --account-password-file")
                }
                let hashes = try SettingParsers.apiKeyHashes(setting(apiKeySHA256, "API_KEY_SHA256") ?? "")
                config.auth = .account(Account(user: setting(accountUser, "ACCOUNT_USER") ?? "", password: password), apiKeyHashes: hashes)
            case let other:
                throw ConfigurationError.invalidValue(setting: "auth", value: other, expected: "passthrough or account")
            }
            if let text = setting(poolPerAccount, "POOL_PER_ACCOUNT") { config.pool.perAccount = try SettingParsers.positiveInt(text, setting: "pool-per-account") }
            if let text = setting(poolGlobal, "POOL_GLOBAL") { config.pool.global = try SettingParsers.positiveInt(text, setting: "pool-global") }
            if let text = setting(poolAcquireTimeout, "POOL_ACQUIRE_TIMEOUT") { config.pool.acquireTimeout = try SettingParsers.duration(text, setting: "pool-acquire-timeout") }
            if let text = setting(poolIdleTimeout, "POOL_IDLE_TIMEOUT") { config.pool.idleTimeout = try SettingParsers.duration(text, setting: "pool-idle-timeout") }
            if let text = setting(poolNoopAfter, "POOL_NOOP_AFTER") { config.pool.noopAfterIdle = try SettingParsers.duration(text, setting: "pool-noop-after") }
            if let text = setting(eventsPerAccount, "EVENTS_PER_ACCOUNT") { config.events.perAccount = try SettingParsers.positiveInt(text, setting: "events-per-account") }
            if let text = setting(eventsGlobal, "EVENTS_GLOBAL") { config.events.global = try SettingParsers.positiveInt(text, setting: "events-global") }
            if let text = setting(eventsHeartbeat, "EVENTS_HEARTBEAT") { config.events.heartbeat = try SettingParsers.duration(text, setting: "events-heartbeat") }
            if let text = setting(corsOrigins, "CORS_ORIGINS") { config.corsOrigins = SettingParsers.origins(text) }
            if let text = setting(maxUploadBytes, "MAX_UPLOAD_BYTES") { config.maxUploadBytes = try SettingParsers.positiveInt(text, setting: "max-upload-bytes") }
            if let path = setting(openAPIPath, "OPENAPI_PATH") { config.openAPIPath = path }
            config.tlsCertificatePath = setting(tlsCert, "TLS_CERT")
            config.tlsKeyPath = setting(tlsKey, "TLS_KEY")
            config.allowInsecurePassthrough = enabled(allowInsecurePassthrough, "ALLOW_INSECURE_PASSTHROUGH")

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
}
