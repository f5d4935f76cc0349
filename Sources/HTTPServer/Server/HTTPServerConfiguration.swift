import Logging
import Sockets

/// Everything an `HTTPServer` can be told: where to listen, limits, timeouts, CORS.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind (`127.0.0.1`, `0.0.0.0`, `::1`).
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one (`start()` returns it).
    public var port: Int = 8080
    /// Serve HTTPS with this certificate and key; nil for plain HTTP.
    public var tls: TLSServerContext? = nil
    /// Largest request body a handler can read; beyond it 413.
    public var maxRequestBodyBytes: Int = 64 * 1024 * 1024
    /// Largest header section (field lines, without the request line); beyond it 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Most header field lines; beyond it 431.
    public var maxHeaderCount: Int = 100
    /// Longest request target; beyond it 414.
    public var maxTargetLength: Int = 8 * 1024
    /// The whole header section must arrive within this, counted from its first byte
    /// (from accept for a connection's first request), however it trickles in: 408 then close.
    public var headerTimeout: Duration = .seconds(10)
    /// How long a request body may keep the server waiting for its bytes, over the whole body
    /// (not per read), plus one second per `bodyGraceBytesPerSecond` bytes received: a client
    /// that trickles its body gets 408 and the connection closes, one that keeps the rate never does.
    public var bodyTimeout: Duration = .seconds(30)
    /// The slowest body transfer that still counts as progress (see `bodyTimeout`).
    public var bodyGraceBytesPerSecond: Int = 1024
    /// When a handler answered without reading the whole body, how long the server reads on to
    /// keep the connection: a body not in by then closes the connection instead.
    public var drainTimeout: Duration = .milliseconds(250)
    /// How long a keep-alive connection may sit between requests before it is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// Longest wait for the socket to take one write (a reader that stopped reading).
    public var writeTimeout: Duration = .seconds(30)
    /// Open connections at most; beyond it new ones get a 503 and are closed.
    public var maxConnections: Int = 4096
    /// Open connections per client address (the socket's peer); beyond it a 503. Trusted
    /// proxies are exempt (they carry many clients). Int.max: no cap.
    public var maxConnectionsPerClient: Int = .max
    /// Open connections per client address that have not authenticated yet: a connection counts
    /// as authenticated once a request on it carried `Authorization` and was not answered 401,
    /// 403, 407, 429 or 5xx. Int.max: no cap.
    public var maxUnauthenticatedConnectionsPerClient: Int = .max
    /// Slots of `maxConnections` that unauthenticated connections cannot fill: once
    /// `maxConnections - reservedAuthenticatedConnections` connections are unauthenticated, a
    /// new one is admitted on probation only: its first request must arrive within
    /// `probationHeaderTimeout` with `Authorization` and authenticate, or the connection closes.
    public var reservedAuthenticatedConnections: Int = 0
    /// The header deadline of a connection admitted on probation.
    public var probationHeaderTimeout: Duration = .seconds(2)
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` are believed for
    /// `HTTPRequest.clientAddress` (addresses or networks, `10.0.0.0/8`); they are also exempt
    /// from the per-client connection caps. Empty: the peer is always the client.
    public var trustedProxies: [IPNetwork] = []
    /// Origins allowed by CORS (`https://app.example.com`), or `"*"` for any; empty disables CORS.
    public var corsAllowedOrigins: [String] = []
    /// How long `shutdown()` lets requests in flight finish before closing their connections.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// The `Server` header's value.
    public var serverHeader: String = "imap-gateway"
    /// Body bytes the server reads and discards when a handler left them unread, so that the
    /// connection can be kept alive; a longer unread body closes the connection instead.
    public var maxDrainBytes: Int = 256 * 1024
    /// Bytes asked for per socket read.
    public var readChunkBytes: Int = 64 * 1024
    /// Level of the one access-log line per request (`.debug` to keep a busy server quiet).
    public var accessLogLevel: Logger.Level = .info

    /// The defaults; set fields as needed.
    public init() {}

    /// The defaults with a host and port.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    var connectionLimits: ConnectionLimits {
        ConnectionLimits(maxConnections: maxConnections, maxPerClient: maxConnectionsPerClient,
                         maxUnauthenticatedPerClient: maxUnauthenticatedConnectionsPerClient,
                         reservedForAuthenticated: reservedAuthenticatedConnections, trustedProxies: trustedProxies)
    }

    /// The limits the pure request parser enforces.
    var parserLimits: HTTPParserLimits {
        HTTPParserLimits(maxTargetLength: maxTargetLength, maxHeaderBytes: maxHeaderBytes,
                         maxHeaderCount: maxHeaderCount, maxBodyBytes: maxRequestBodyBytes)
    }
}
