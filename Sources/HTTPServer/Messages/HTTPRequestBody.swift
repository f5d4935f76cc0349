import Sockets
/// Where a request body's chunks come from: the connection, or bytes held in memory.
protocol RequestBodySource: Sendable {
    /// The next chunk, or nil at the end of the body. Throws `HTTPError` 413 past the limit,
    /// 400 for broken framing, 408 when the client stalls.
    func nextChunk() async throws -> [UInt8]?
    /// The error that ended reading, if reading failed.
    var failure: HTTPError? { get }
}

extension RequestBodySource {
    var failure: HTTPError? { nil }
}

/// A request body, streamed from the socket in chunks as the handler asks for them.
///
/// Iterate it (`for try await chunk in request.body`) to stream, or `collect(upTo:)` to buffer.
/// A body can be read once. Reading past the server's `maxRequestBodyBytes` throws 413.
public final class HTTPRequestBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    /// The declared `Content-Length`, or nil for a chunked body.
    public let contentLength: Int?
    private let source: (any RequestBodySource)?

    init(contentLength: Int?, source: (any RequestBodySource)?) {
        self.contentLength = contentLength
        self.source = source
    }

    /// A body held in memory, for tests and for calling a router without a socket.
    public convenience init(bytes: [UInt8]) {
        self.init(contentLength: bytes.count, source: bytes.isEmpty ? nil : InMemoryBodySource(bytes))
    }

    /// A body with no bytes.
    public static let empty = HTTPRequestBody(contentLength: 0, source: nil)

    /// Why reading this body failed (the client closed or stalled before its end, broken
    /// framing, too large), or nil. A handler that streams the body somewhere else sees that
    /// side fail too; this tells a client's fault (4xx) from the far side's.
    public var failure: HTTPError? { source?.failure }

    /// Reads the whole body; throws `HTTPError` 413 if it is longer than `maxBytes`.
    public func collect(upTo maxBytes: Int) async throws -> [UInt8] {
        if let contentLength, contentLength > maxBytes { throw HTTPError.contentTooLarge(limit: maxBytes) }
        var collected: [UInt8] = []
        if let contentLength { collected.reserveCapacity(contentLength) }
        for try await chunk in self {
            guard collected.count + chunk.count <= maxBytes else { throw HTTPError.contentTooLarge(limit: maxBytes) }
            if collected.isEmpty { collected = chunk } else { collected.append(contentsOf: chunk) }
        }
        return collected
    }

    public func makeAsyncIterator() -> Iterator { Iterator(source: source) }

    /// Pulls chunks from the connection; each `next()` reads at most one socket buffer.
    public struct Iterator: AsyncIteratorProtocol {
        let source: (any RequestBodySource)?

        public mutating func next() async throws -> [UInt8]? {
            guard let source else { return nil }
            return try await source.nextChunk()
        }
    }
}

/// A body already in memory, handed out as one chunk.
final class InMemoryBodySource: RequestBodySource {
    private let bytes: Protected<[UInt8]?>

    init(_ bytes: [UInt8]) { self.bytes = Protected(bytes) }

    func nextChunk() async throws -> [UInt8]? {
        bytes.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
