import HTTPServer

/// Everything the gateway can be told; `imap-gateway serve` fills it from flags and environment.
public struct GatewayConfiguration: Sendable {
    /// Where the HTTP server listens.
    public var listen = ListenAddress(host: "127.0.0.1", port: 8080)
    /// The IMAP server all requests go to.
    public var imap = IMAPEndpoint(host: "127.0.0.1", port: 993, security: .implicitTLS)
    /// How clients authenticate.
    public var auth: AuthMode = .passthrough
    public var pool = PoolConfiguration()
    /// IMAP connections per account at most, pooled sessions, event streams and mirror watchers
    /// together (`AccountBudget`); 10 is Dovecot's default per user and address. Providers'
    /// presets set less than their published limit, leaving room for the user's own mail apps.
    public var accountMaxConnections = 10
    /// Backoff after throttling answers or refused connections (`ConnectionBackoff`): the
    /// shortest wait and the longest (`--imap-backoff-base`, `--imap-backoff-max`).
    public var imapBackoffBase: Duration = .seconds(1)
    public var imapBackoffMax: Duration = .seconds(300)
    /// How long an OAuth token's successful login lets its requests use the user's warm
    /// sessions (`--oauth-proof-window`, `OwnershipProofs`): a revoked token stops reaching them
    /// within it; 0 makes every request with a token log in with it.
    public var oauthProofWindow: Duration = .seconds(300)
    /// `GET /folders/{folder}/events`: caps and heartbeat.
    public var events = EventStreamConfiguration()
    /// Longest wait for one IMAP command's completion: 504 after it.
    public var imapCommandTimeout: Duration = .seconds(30)
    /// Longest wait for the IMAP server's greeting in `/ready`.
    public var readinessTimeout: Duration = .seconds(2)
    /// Origins allowed by CORS; empty disables CORS.
    public var corsOrigins: [String] = []
    /// Largest request body (uploads); beyond it 413.
    public var maxUploadBytes: Int = 25 * 1024 * 1024
    /// The folder deleted messages go to, by full name (`--trash-folder`); nil: the folder with
    /// the `\Trash` special use, else one with a usual trash name (`TrashFolder`).
    public var trashFolder: String?
    /// Open HTTP connections per client address at most (trusted proxies are exempt); beyond, 503.
    public var maxConnectionsPerClient: Int = 256
    /// Open HTTP connections per client address that no request has authenticated yet.
    public var maxUnauthenticatedConnectionsPerClient: Int = 128
    /// HTTP connection slots (of 4096) that unauthenticated connections cannot fill: beyond the
    /// rest, a new connection must authenticate on its first request (within 2 s) or is closed.
    public var reservedAuthenticatedConnections: Int = 512
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` / `Forwarded` name the
    /// client for the login throttle and logs; they are exempt from the per-client caps.
    public var trustedProxies: [IPNetwork] = []
    /// Messages larger than this are not fetched whole for `GET .../messages/{uid}`: only the
    /// header and the text parts are.
    public var fullMessageFetchLimit: Int = 10 * 1024 * 1024
    /// Whole raw messages kept in memory so that reading one twice fetches it once (all
    /// accounts together; 0 turns the cache off) and the largest message kept.
    public var bodyCacheMaxBytes: Int = 32 * 1024 * 1024
    public var bodyCacheMaxMessageBytes: Int = 1024 * 1024
    /// Bytes per partial fetch when streaming `/raw` and `/parts/{partId}`: bounds memory per download.
    public var streamChunkBytes: Int = 256 * 1024
    /// Where `/openapi.yaml` is read from at start-up.
    public var openAPIPath: String = "openapi.yaml"
    /// Failed logins allowed per client address or user within `authFailureWindow` before 429.
    public var authFailureLimit: Int = 5
    public var authFailureWindow: Duration = .seconds(60)
    /// HTTPS: PEM certificate chain and key; plain HTTP when nil.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Allow passthrough credentials over plain HTTP on a non-loopback address.
    public var allowInsecurePassthrough = false
    /// Folder mirrors (`--mirror on|off`): list pages, `state` and `/changes` from a synchronized
    /// copy of each folder; off reads every page from IMAP as before.
    public var mirrorEnabled = true
    /// The estimated bytes all mirrors may take together (`--mirror-max-bytes`); the least
    /// recently used folders are dropped whole beyond it.
    public var mirrorMaxBytes = 64 * 1024 * 1024
    /// Folder watchers (an IMAP session in IDLE keeping a mirror current) per account at most
    /// (`--mirror-watchers-per-account`); folders beyond it revalidate on every read.
    public var mirrorWatchersPerAccount = 4
    /// A watcher without readers or event streams for this long stops (`--mirror-watch-idle`).
    public var mirrorWatchIdle: Duration = .seconds(300)
    /// A watcher leaves IDLE this often to NOOP and sync (`--mirror-watch-recheck`): a folder
    /// deleted and created anew by another client is not reported in IDLE by Dovecot, only by
    /// the next command, so this bounds how long a watched folder may show the old one.
    public var mirrorWatchRecheck: Duration = .seconds(30)
    /// Folders with more messages than this are filled by their watcher in the background, in
    /// chunks of `mirrorFillChunk` messages, instead of by the read that first finds them. Not
    /// command-line settings: tests lower them to fill small folders in the background.
    public var mirrorInlineFillLimit = 20_000
    public var mirrorFillChunk = 2_000
    /// Serve the built-in inbox page at `/ui/` (`--ui`); off by default.
    public var uiEnabled = false
    /// Where the page's files (`index.html`, `app.js`, `app.css`) are read from at start-up.
    public var uiDirectory: String = "ui"
    /// How long a URL ticket from `POST /tickets` stays valid (seconds: it is for a URL used at once).
    public var ticketLifetime: Duration = .seconds(30)

    public init() {}

    /// Rejects combinations that would expose credentials or cannot work.
    public func validate() throws(ConfigurationError) {
        if case .account(let account, let keys) = auth {
            guard !account.user.isEmpty else {
                throw .missing(setting: "account user", why: "--auth account needs --account-user or ACCOUNT_USER")
            }
            guard !keys.isEmpty else {
                throw .missing(setting: "API key hashes", why: "--auth account needs --api-key-sha256 or API_KEY_SHA256")
            }
        }
        if (tlsCertificatePath == nil) != (tlsKeyPath == nil) {
            throw .missing(setting: "TLS certificate or key", why: "--tls-cert and --tls-key go together")
        }
        if case .passthrough = auth, tlsCertificatePath == nil, !listen.isLoopback, !allowInsecurePassthrough {
            throw .unsafe("""
                Refusing to accept IMAP passwords (passthrough auth) over plain HTTP on \(listen): \
                use --tls-cert/--tls-key, listen on a loopback address, or pass --allow-insecure-passthrough.
                """)
        }
        guard pool.perAccount >= 1, pool.global >= pool.perAccount else {
            throw .invalidValue(setting: "pool sizes", value: "\(pool.perAccount)/\(pool.global)",
                                expected: "per-account >= 1 and global >= per-account")
        }
        guard accountMaxConnections >= 1 else {
            throw .invalidValue(setting: "account-max-connections", value: "\(accountMaxConnections)", expected: "at least 1")
        }
        try events.validate()
        guard streamChunkBytes >= 1024 else {
            throw .invalidValue(setting: "stream chunk", value: "\(streamChunkBytes)", expected: "at least 1024 bytes")
        }
    }
}

/// The IMAP server: address and transport security.
public struct IMAPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var security: IMAPSecurity
    /// PEM file with the CA(s) to trust instead of the system's.
    public var caFile: String?
    /// Skip certificate verification (tests against self-signed servers only).
    public var insecureSkipVerify = false
    /// Capabilities the gateway acts as if the server lacked (`--imap-ignore-capability MOVE`),
    /// for servers whose extension misbehaves.
    public var ignoredCapabilities: [String] = []

    public init(host: String, port: Int, security: IMAPSecurity, caFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.host = host
        self.port = port
        self.security = security
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
    }

    public var description: String { "\(host):\(port) (\(security.rawValue))" }
}

/// How the IMAP connection is secured.
public enum IMAPSecurity: String, Sendable, Hashable, CaseIterable {
    /// TLS from the first byte (port 993).
    case implicitTLS = "implicit"
    /// Plain connect, then STARTTLS before login (port 143).
    case startTLS = "starttls"
    /// No TLS at all: loopback and tests only.
    case none
}

/// How HTTP clients authenticate.
public enum AuthMode: Sendable {
    /// HTTP Basic credentials are the IMAP credentials.
    case passthrough
    /// One configured IMAP account; clients present `Authorization: Bearer <key>` and the
    /// SHA-256 of the key must be among `apiKeyHashes`.
    case account(Account, apiKeyHashes: [SHA256Digest])
}

extension GatewayConfiguration {
    /// `passthrough` or `account (user)`, for the start-up line; never a secret.
    public var authDescription: String {
        switch auth {
        case .passthrough: "passthrough"
        case .account(let account, let keys): "account (\(account.user), \(keys.count) API key(s))"
        }
    }
}
