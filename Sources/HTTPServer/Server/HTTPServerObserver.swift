/// Told about every completed request, e.g. to feed Prometheus metrics.
/// Called on the connection's task after the response went out; keep it quick.
public protocol HTTPServerObserver: Sendable {
    /// `route` is the matched pattern (`/folders/{folder}`) or `"unmatched"`; `bytesSent`
    /// counts the whole response, head included.
    func requestCompleted(method: HTTPMethod, route: String, status: Int, bytesSent: Int, duration: Duration)

    /// A connection was turned away before any request was read. `reason` is `capacity`,
    /// `per_client`, `per_client_unauthenticated`, `unauthenticated_share` or `shutting_down` (a connection on probation
    /// that did not authenticate is reported as `probation`).
    func connectionRejected(reason: String)
}

extension HTTPServerObserver {
    public func connectionRejected(reason: String) {}
}
