import ArgumentParser
import Gateway

/// One `serve` setting: its flag and its environment variable. Each name is written only in the
/// table below; the help text, the parser's error and the environment lookup all read it from here.
struct ServeSetting: Sendable {
    /// The long flag without `--`; also the setting's name in error messages.
    let flag: String
    /// The environment variable read when the flag is absent (an empty value counts as absent).
    let environment: String

    var name: NameSpecification { .customLong(flag) }

    /// `summary (ENV, default X)`, the form every option's help takes.
    func help(_ summary: String, default value: String? = nil) -> ArgumentHelp {
        ArgumentHelp("\(summary) (\(environment)\(value.map { ", default \($0)" } ?? ""))")
    }

    /// `summary (ENV=1)` for an on/off flag.
    func flagHelp(_ summary: String) -> ArgumentHelp {
        ArgumentHelp("\(summary) (\(environment)=1)")
    }

    /// Reads a flag's value; a bad one is refused by the argument parser with this message.
    @Sendable func parse<Value: SettingValue>(_ text: String) throws -> Value {
        try Value.parse(text, setting: flag)
    }
}

extension ServeSetting {
    static let listen = ServeSetting(flag: "listen", environment: "LISTEN")
    static let imapProvider = ServeSetting(flag: "imap-provider", environment: "IMAP_PROVIDER")
    static let imapHost = ServeSetting(flag: "imap-host", environment: "IMAP_HOST")
    static let imapPort = ServeSetting(flag: "imap-port", environment: "IMAP_PORT")
    static let imapTLS = ServeSetting(flag: "imap-tls", environment: "IMAP_TLS")
    static let imapCAFile = ServeSetting(flag: "imap-ca-file", environment: "IMAP_CA_FILE")
    static let imapInsecureSkipVerify = ServeSetting(flag: "imap-insecure-skip-verify", environment: "IMAP_INSECURE_SKIP_VERIFY")
    static let imapIgnoreCapability = ServeSetting(flag: "imap-ignore-capability", environment: "IMAP_IGNORE_CAPABILITIES")
    static let imapTimeout = ServeSetting(flag: "imap-timeout", environment: "IMAP_TIMEOUT")
    static let auth = ServeSetting(flag: "auth", environment: "AUTH_MODE")
    static let accountUser = ServeSetting(flag: "account-user", environment: "ACCOUNT_USER")
    static let accountPasswordFile = ServeSetting(flag: "account-password-file", environment: "ACCOUNT_PASSWORD_FILE")
    /// No flag: a password on the command line would show in `ps`.
    static let accountPassword = ServeSetting(flag: "account password", environment: "ACCOUNT_PASSWORD")
    static let apiKeySHA256 = ServeSetting(flag: "api-key-sha256", environment: "API_KEY_SHA256")
    static let poolPerAccount = ServeSetting(flag: "pool-per-account", environment: "POOL_PER_ACCOUNT")
    static let accountMaxConnections = ServeSetting(flag: "account-max-connections", environment: "ACCOUNT_MAX_CONNECTIONS")
    static let imapBackoffBase = ServeSetting(flag: "imap-backoff-base", environment: "IMAP_BACKOFF_BASE")
    static let imapBackoffMax = ServeSetting(flag: "imap-backoff-max", environment: "IMAP_BACKOFF_MAX")
    static let oauthProofWindow = ServeSetting(flag: "oauth-proof-window", environment: "OAUTH_PROOF_WINDOW")
    static let poolGlobal = ServeSetting(flag: "pool-global", environment: "POOL_GLOBAL")
    static let poolAcquireTimeout = ServeSetting(flag: "pool-acquire-timeout", environment: "POOL_ACQUIRE_TIMEOUT")
    static let poolIdleTimeout = ServeSetting(flag: "pool-idle-timeout", environment: "POOL_IDLE_TIMEOUT")
    static let poolNoopAfter = ServeSetting(flag: "pool-noop-after", environment: "POOL_NOOP_AFTER")
    static let eventsPerAccount = ServeSetting(flag: "events-per-account", environment: "EVENTS_PER_ACCOUNT")
    static let eventsGlobal = ServeSetting(flag: "events-global", environment: "EVENTS_GLOBAL")
    static let eventsWatchedPerAccount = ServeSetting(flag: "events-watched-per-account", environment: "EVENTS_WATCHED_PER_ACCOUNT")
    static let eventsHeartbeat = ServeSetting(flag: "events-heartbeat", environment: "EVENTS_HEARTBEAT")
    static let corsOrigins = ServeSetting(flag: "cors-origins", environment: "CORS_ORIGINS")
    static let maxUploadBytes = ServeSetting(flag: "max-upload-bytes", environment: "MAX_UPLOAD_BYTES")
    static let mirror = ServeSetting(flag: "mirror", environment: "MIRROR")
    static let mirrorMaxBytes = ServeSetting(flag: "mirror-max-bytes", environment: "MIRROR_MAX_BYTES")
    static let mirrorWatchersPerAccount = ServeSetting(flag: "mirror-watchers-per-account", environment: "MIRROR_WATCHERS_PER_ACCOUNT")
    static let mirrorWatchIdle = ServeSetting(flag: "mirror-watch-idle", environment: "MIRROR_WATCH_IDLE")
    static let mirrorWatchRecheck = ServeSetting(flag: "mirror-watch-recheck", environment: "MIRROR_WATCH_RECHECK")
    static let bodyCacheMaxBytes = ServeSetting(flag: "body-cache-max-bytes", environment: "BODY_CACHE_MAX_BYTES")
    static let bodyCacheMaxMessageBytes = ServeSetting(flag: "body-cache-max-message-bytes", environment: "BODY_CACHE_MAX_MESSAGE_BYTES")
    static let maxConnectionsPerClient = ServeSetting(flag: "max-connections-per-client", environment: "MAX_CONNECTIONS_PER_CLIENT")
    static let maxUnauthenticatedPerClient = ServeSetting(flag: "max-unauthenticated-per-client", environment: "MAX_UNAUTHENTICATED_PER_CLIENT")
    static let reservedAuthenticatedConnections = ServeSetting(flag: "reserved-authenticated-connections",
                                                               environment: "RESERVED_AUTHENTICATED_CONNECTIONS")
    static let trustedProxies = ServeSetting(flag: "trusted-proxies", environment: "TRUSTED_PROXIES")
    static let loginFailureLimit = ServeSetting(flag: "login-failure-limit", environment: "LOGIN_FAILURE_LIMIT")
    static let trashFolder = ServeSetting(flag: "trash-folder", environment: "TRASH_FOLDER")
    static let eventsIdlePoll = ServeSetting(flag: "events-idle-poll", environment: "EVENTS_IDLE_POLL")
    static let ui = ServeSetting(flag: "ui", environment: "UI")
    static let uiDirectory = ServeSetting(flag: "ui-dir", environment: "UI_DIR")
    static let openAPIPath = ServeSetting(flag: "openapi-path", environment: "OPENAPI_PATH")
    static let logLevel = ServeSetting(flag: "log-level", environment: "LOG_LEVEL")
    static let logFormat = ServeSetting(flag: "log-format", environment: "LOG_FORMAT")
    static let tlsCert = ServeSetting(flag: "tls-cert", environment: "TLS_CERT")
    static let tlsKey = ServeSetting(flag: "tls-key", environment: "TLS_KEY")
    static let allowInsecurePassthrough = ServeSetting(flag: "allow-insecure-passthrough", environment: "ALLOW_INSECURE_PASSTHROUGH")
}

/// The environment, read through the table: a flag wins, then a non-empty variable.
struct SettingEnvironment {
    let variables: [String: String]

    /// The flag's value, else the variable's parsed as `Value` (its error names the flag).
    func value<Value: SettingValue>(_ flag: Value?, _ setting: ServeSetting) throws(ConfigurationError) -> Value? {
        if let flag { return flag }
        guard let text = string(nil, setting) else { return nil }
        return try Value.parse(text, setting: setting.flag)
    }

    /// Text as given: a flag's, else a non-empty variable's.
    func string(_ flag: String?, _ setting: ServeSetting) -> String? {
        if let flag { return flag }
        if let value = variables[setting.environment], !value.isEmpty { return value }
        return nil
    }

    /// On when the flag is given or the variable is 1, true or yes.
    func enabled(_ flag: Bool, _ setting: ServeSetting) -> Bool {
        flag || ["1", "true", "yes"].contains(variables[setting.environment]?.lowercased() ?? "")
    }
}
