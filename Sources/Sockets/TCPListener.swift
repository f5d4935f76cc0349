#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket; `accept()` suspends until a connection arrives.
public final class TCPListener: Sendable {
    let channel: Channel
    /// The bound port (the real one when 0 was asked for).
    public let port: Int

    /// Binds and listens. `host` is an IPv4 or IPv6 literal or a name (resolved synchronously,
    /// first address wins; "" means all interfaces); port 0 picks a free port. Sets SO_REUSEADDR.
    public init(host: String, port: Int, backlog: Int32 = 1024) throws {
        _ = SignalSetup.ignoreBrokenPipe
        let addresses: [SocketAddress]
        do {
            addresses = try Resolver.resolvePassive(host: host, port: port)
        } catch SocketError.resolveFailed(_, let message) {
            throw SocketError.listenFailed(host: host, port: port, message: "cannot resolve: \(message)")
        }
        let address = addresses[0]
        let fd: Int32
        do {
            fd = try Syscall.socket(family: address.family)
        } catch {
            throw SocketError.listenFailed(host: host, port: port, message: "\(error)")
        }
        do {
            try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1, label: "SO_REUSEADDR")
            try Syscall.bind(fd, to: address)
            try Syscall.listen(fd, backlog: backlog)
            self.port = try Syscall.localAddress(fd).port
        } catch {
            Syscall.close(fd)
            throw SocketError.listenFailed(host: host, port: port, message: "\(error)")
        }
        channel = Channel(fd: fd)
    }

    deinit {
        channel.close()
    }

    /// Waits for the next connection (TCP_NODELAY set). Throws `SocketError.closed` after `close()`.
    public func accept() async throws -> SocketStream {
        let outcome = try await channel.perform(.accept, name: .accept(port: port), deadline: nil)
        guard case .accepted(let fd, let address) = outcome else {
            throw SocketError.failed(call: "accept4", errno: EINVAL)
        }
        // Best effort: a connection already reset by the peer fails its first read instead.
        try? Syscall.setNoDelay(fd)
        return SocketStream(channel: Channel(fd: fd), remoteAddress: address.description)
    }

    /// Stops listening; a pending `accept()` throws `SocketError.closed`. Idempotent.
    public func close() {
        channel.close()
    }
}
