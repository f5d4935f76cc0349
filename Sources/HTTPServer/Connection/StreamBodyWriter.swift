import Sockets
/// What went wrong while streaming a response body.
enum StreamBodyError: Error, CustomStringConvertible {
    /// The producer wrote more bytes than the `contentLength` it declared.
    case tooManyBytes(declared: Int)
    /// The producer finished short of the `contentLength` it declared.
    case tooFewBytes(declared: Int, written: Int)

    var description: String {
        switch self {
        case .tooManyBytes(let declared): "the stream wrote more than its declared \(declared) bytes"
        case .tooFewBytes(let declared, let written): "the stream wrote \(written) of its declared \(declared) bytes"
        }
    }
}

/// Hands a streamed response body to the socket, as chunks (unknown length) or raw bytes
/// (declared length or close-delimited). Each write waits for the socket: backpressure.
final class StreamBodyWriter: HTTPBodyWriter {
    private let transport: any HTTPTransport
    private let chunked: Bool
    private let declaredLength: Int?
    private let timeout: Duration
    /// Body bytes and wire bytes written so far; guarded because a producer may write from any task.
    private let counts = Protected<(body: Int, wire: Int)>((0, 0))

    init(transport: any HTTPTransport, chunked: Bool, declaredLength: Int?, timeout: Duration) {
        self.transport = transport
        self.chunked = chunked
        self.declaredLength = declaredLength
        self.timeout = timeout
    }

    var wireBytes: Int { counts.withLock { $0.wire } }

    func write(_ chunk: [UInt8]) async throws {
        guard !chunk.isEmpty else { return }
        let fits = counts.withLock { counts in
            if let declaredLength, counts.body + chunk.count > declaredLength { return false }
            counts.body += chunk.count
            return true
        }
        if !fits, let declaredLength { throw StreamBodyError.tooManyBytes(declared: declaredLength) }
        if chunked {
            // chunk = chunk-size CRLF chunk-data CRLF, in one write: one syscall per chunk.
            var frame: [UInt8] = []
            frame.reserveCapacity(chunk.count + 20)
            frame.append(contentsOf: String(chunk.count, radix: 16).utf8)
            frame.append(contentsOf: [ByteClass.cr, ByteClass.lf])
            frame.append(contentsOf: chunk)
            frame.append(contentsOf: [ByteClass.cr, ByteClass.lf])
            try await transport.write(frame[...], timeout: timeout)
            counts.withLock { $0.wire += frame.count }
        } else {
            try await transport.write(chunk[...], timeout: timeout)
            counts.withLock { $0.wire += chunk.count }
        }
    }

    /// Ends the body: the last chunk for chunked, a length check otherwise.
    func finish() async throws {
        if chunked {
            let last: [UInt8] = Array("0\r\n\r\n".utf8)
            try await transport.write(last[...], timeout: timeout)
            counts.withLock { $0.wire += last.count }
        } else if let declaredLength {
            let written = counts.withLock { $0.body }
            if written != declaredLength { throw StreamBodyError.tooFewBytes(declared: declaredLength, written: written) }
        }
    }
}
