import HTTPServer
import IMAPClient
import Sockets

/// The gateway's Prometheus metrics: HTTP requests (fed by the server as its observer), IMAP
/// commands (fed by every IMAP connection's command observer), failed logins, and the pool's gauges read at scrape time.
///
/// Recording takes one lock and one dictionary lookup keyed by the route pattern; labels hold
/// route patterns, method names, status codes and IMAP command names only, never paths, folder
/// names or accounts.
public final class GatewayMetrics: HTTPServerObserver {
    private let http = Protected([String: RouteSeries]())
    private let imap = Protected([IMAPCommandKey: Int]())
    private let authFailures = Protected(0)
    private let rejectedConnections = Protected([String: Int]())

    public init() {}

    // MARK: Recording

    public func requestCompleted(method: HTTPMethod, route: String, status: Int, bytesSent: Int, duration: Duration) {
        let key = RequestKey(method: Self.methodLabel(method), status: status)
        let seconds = duration.seconds
        http.withLock { routes in
            routes[route, default: RouteSeries()].record(key, bytes: bytesSent, seconds: seconds)
        }
    }

    /// One IMAP command (its wire name, from a fixed set) finished with `result`; every
    /// connection reports here through `IMAPServerConfiguration.commandObserver`.
    public func imapCommand(_ command: String, _ result: IMAPCommandOutcome) {
        imap.withLock { $0[IMAPCommandKey(command: command, result: result), default: 0] += 1 }
    }

    /// The HTTP server turned a connection away (`capacity`, `per_client`,
    /// `per_client_unauthenticated`, `probation`, `shutting_down`).
    public func connectionRejected(reason: String) {
        rejectedConnections.withLock { $0[reason, default: 0] += 1 }
    }

    /// A login was refused: wrong IMAP credentials or API key, or none sent.
    func authenticationFailed() {
        authFailures.withLock { $0 += 1 }
    }

    // MARK: Exposition

    /// The exposition text; `pool` and `eventStreams` (open streams) are read by the caller at
    /// scrape time.
    func exposition(pool: PoolCounts, eventStreams: Int = 0,
                    bodyCache: (entries: Int, bytes: Int, hits: Int, misses: Int) = (0, 0, 0, 0),
                    connections: ConnectionCounts = ConnectionCounts()) -> String {
        let routes = http.withLock { $0 }
        let commands = imap.withLock { $0 }
        let failures = authFailures.withLock { $0 }
        var out = PrometheusText()

        out.family("http_requests_total", type: "counter", help: "HTTP requests answered, by route pattern, method and status.")
        for route in routes.keys.sorted() {
            let series = routes[route]!
            for key in series.requests.keys.sorted() {
                out.sample("http_requests_total", ["route": route, "method": key.method, "status": String(key.status)],
                           series.requests[key]!)
            }
        }

        out.family("http_request_duration_seconds", type: "histogram",
                   help: "Time from the request head to the response's last byte, by route pattern.")
        for route in routes.keys.sorted() {
            let histogram = routes[route]!.latency
            for (bound, count) in zip(LatencyHistogram.boundLabels, histogram.cumulative) {
                out.sample("http_request_duration_seconds_bucket", ["route": route, "le": bound], count)
            }
            out.sample("http_request_duration_seconds_bucket", ["route": route, "le": "+Inf"], histogram.count)
            out.sample("http_request_duration_seconds_sum", ["route": route], histogram.sum)
            out.sample("http_request_duration_seconds_count", ["route": route], histogram.count)
        }

        out.family("http_connections_rejected_total", type: "counter",
                   help: "HTTP connections turned away before a request was served, by reason (capacity, per_client, per_client_unauthenticated, probation, shutting_down).")
        let rejected = rejectedConnections.withLock { $0 }
        for reason in rejected.keys.sorted() {
            out.sample("http_connections_rejected_total", ["reason": reason], rejected[reason]!)
        }

        out.family("http_response_bytes_total", type: "counter", help: "Bytes sent in responses (head included), by route pattern.")
        for route in routes.keys.sorted() {
            out.sample("http_response_bytes_total", ["route": route], routes[route]!.bytes)
        }

        out.family("imap_sessions_open", type: "gauge", help: "IMAP sessions open or being opened.")
        out.sample("imap_sessions_open", [:], pool.open)
        out.family("imap_sessions_busy", type: "gauge", help: "IMAP sessions lent out to requests.")
        out.sample("imap_sessions_busy", [:], pool.busy)
        out.family("imap_sessions_waiting", type: "gauge", help: "Requests waiting for an IMAP session.")
        out.sample("imap_sessions_waiting", [:], pool.waiting)

        out.family("imap_connection_budget_in_use", type: "gauge",
                   help: "IMAP connections held under the per-account budgets, all accounts together, by purpose (pool, events, watcher).")
        for purpose in ConnectionPurpose.allCases {
            out.sample("imap_connection_budget_in_use", ["purpose": purpose.rawValue], connections.inUse[purpose, default: 0])
        }
        out.family("imap_connections_refused_total", type: "counter",
                   help: "New IMAP connections not made or failed, by reason (throttled, refused, budget, backoff).")
        for reason in ["throttled", "refused", "budget", "backoff"] {
            out.sample("imap_connections_refused_total", ["reason": reason], connections.refused[reason, default: 0])
        }

        out.family("event_streams_open", type: "gauge", help: "Open GET /folders/{folder}/events streams (each holds an IMAP session of its own).")
        out.sample("event_streams_open", [:], eventStreams)

        out.family("body_cache_bytes", type: "gauge", help: "Bytes of raw messages held by the message body cache.")
        out.sample("body_cache_bytes", [:], bodyCache.bytes)
        out.family("body_cache_messages", type: "gauge", help: "Raw messages held by the message body cache.")
        out.sample("body_cache_messages", [:], bodyCache.entries)
        out.family("body_cache_lookups_total", type: "counter", help: "Message body cache look-ups, by result (hit, miss).")
        out.sample("body_cache_lookups_total", ["result": "hit"], bodyCache.hits)
        out.sample("body_cache_lookups_total", ["result": "miss"], bodyCache.misses)

        out.family("imap_commands_total", type: "counter", help: "IMAP commands sent, by command and result (ok, no, bad, error).")
        for key in commands.keys.sorted() {
            out.sample("imap_commands_total", ["command": key.command, "result": key.result.rawValue], commands[key]!)
        }

        out.family("auth_failures_total", type: "counter", help: "Requests refused for missing or wrong credentials.")
        out.sample("auth_failures_total", [:], failures)
        return out.text
    }

    /// Methods the server answers by name; anything else is one label value, so arbitrary
    /// tokens cannot grow the series count.
    private static func methodLabel(_ method: HTTPMethod) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }
}

/// What is recorded per route pattern.
private struct RouteSeries: Sendable {
    var requests: [RequestKey: Int] = [:]
    var latency = LatencyHistogram()
    var bytes = 0

    mutating func record(_ key: RequestKey, bytes: Int, seconds: Double) {
        requests[key, default: 0] += 1
        latency.observe(seconds)
        self.bytes += bytes
    }
}

private struct RequestKey: Hashable, Sendable, Comparable {
    let method: String
    let status: Int

    static func < (lhs: RequestKey, rhs: RequestKey) -> Bool {
        (lhs.method, lhs.status) < (rhs.method, rhs.status)
    }
}

private struct IMAPCommandKey: Hashable, Sendable, Comparable {
    let command: String
    let result: IMAPCommandOutcome

    static func < (lhs: IMAPCommandKey, rhs: IMAPCommandKey) -> Bool {
        (lhs.command, lhs.result.rawValue) < (rhs.command, rhs.result.rawValue)
    }
}
