import Sockets

/// The byte stream a connection runs on: `SocketStream` in production, anything with the same
/// shape in tests. Reads and writes suspend without blocking a thread.
protocol HTTPTransport: AnyObject, Sendable {
    /// Up to `maxBytes`; empty at end of stream. Throws `SocketError.timedOut` after `timeout`.
    func read(maxBytes: Int, timeout: Duration?) async throws -> [UInt8]
    /// Returns once the bytes were handed to the kernel: the backpressure point.
    func write(_ bytes: ArraySlice<UInt8>, timeout: Duration?) async throws
    /// Closes the stream; pending reads and writes fail with `SocketError.closed`.
    func close()
    /// The peer, for logs.
    var remoteAddress: String { get }
}

extension SocketStream: HTTPTransport {}
