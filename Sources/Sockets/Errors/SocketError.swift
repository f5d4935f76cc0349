#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong with a socket, carrying what a person needs to act on it.
public enum SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host name could not be turned into addresses (`getaddrinfo` failed).
    case resolveFailed(host: String, message: String)
    /// No address of the host accepted a connection, for a reason other than a refusal.
    case connectFailed(host: String, port: Int, message: String)
    /// Every address of the host actively refused the connection (nothing listens there).
    case connectionRefused(host: String, port: Int)
    /// The named operation did not complete before its deadline.
    case timedOut(operation: String)
    /// The peer reset the connection or it broke (ECONNRESET, EPIPE, TLS stream cut).
    case disconnected
    /// The socket was closed locally (by `close()`), before or during the operation.
    case closed
    /// A TLS failure other than certificate verification (protocol, configuration, handshake).
    case tls(message: String)
    /// The peer's certificate chain or name did not verify.
    case certificateVerificationFailed(host: String, message: String)
    /// A system call failed; `call` is its name and `errno` the error number.
    case failed(call: String, errno: Int32)
    /// Binding or listening on a local address failed (for example: address already in use).
    case listenFailed(host: String, port: Int, message: String)
    /// A second read (or write) was started while one of the same kind was still pending.
    case operationInProgress(operation: String)

    public var description: String {
        switch self {
        case let .resolveFailed(host, message):
            return "cannot resolve host '\(host)': \(message)"
        case let .connectFailed(host, port, message):
            return "cannot connect to \(host):\(port): \(message)"
        case let .connectionRefused(host, port):
            return "connection refused by \(host):\(port) (nothing listening?)"
        case let .timedOut(operation):
            return "timed out: \(operation)"
        case .disconnected:
            return "connection reset or broken by the peer"
        case .closed:
            return "socket closed locally"
        case let .tls(message):
            return "TLS error: \(message)"
        case let .certificateVerificationFailed(host, message):
            return "TLS certificate verification failed for '\(host)': \(message)"
        case let .failed(call, errno):
            return "\(call) failed: \(SocketError.errnoText(errno)) (errno \(errno))"
        case let .listenFailed(host, port, message):
            return "cannot listen on \(host):\(port): \(message)"
        case let .operationInProgress(operation):
            return "another \(operation) is already pending on this socket"
        }
    }

    /// The `strerror` text for an errno value.
    static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
