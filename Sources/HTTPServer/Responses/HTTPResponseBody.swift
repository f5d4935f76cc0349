/// What follows a response's head.
public enum HTTPResponseBody: Sendable {
    /// No body; `Content-Length: 0` (none at all for 204 and 304).
    case empty
    /// A body held in memory, sent with `Content-Length`.
    case bytes([UInt8])
    /// A body produced while it is sent. With a `contentLength` it goes out with `Content-Length`
    /// (the producer must write exactly that many bytes); without, chunked (HTTP/1.1) or
    /// close-delimited (HTTP/1.0). The closure is not called for HEAD requests.
    case stream(contentLength: Int?, @Sendable (any HTTPBodyWriter) async throws -> Void)
}

/// Receives a streamed response body; each `write` returns once the socket took the bytes,
/// so a slow reader slows the producer instead of growing memory.
public protocol HTTPBodyWriter: Sendable {
    /// Sends one chunk (an empty chunk is ignored).
    func write(_ chunk: [UInt8]) async throws
}
