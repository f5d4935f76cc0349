#if canImport(Glibc)
import Glibc
import COpenSSL
#endif

/// The outcome of a non-blocking call: done, or "try again when ready" (EAGAIN/EWOULDBLOCK).
enum IOResult<Value> {
    case processed(Value)
    case wouldBlock
}

/// Every system call the module makes, in one place: EINTR is retried, EAGAIN/EWOULDBLOCK
/// (and EINPROGRESS for connect) become `.wouldBlock`, anything else throws
/// `SocketError.failed(call:errno:)` naming the call.
enum Syscall {
    @inline(__always)
    private static func retrying<T: FixedWidthInteger>(
        _ call: String, blockingErrors: Bool, _ body: () -> T
    ) throws(SocketError) -> IOResult<T> {
        while true {
            let result = body()
            if result >= 0 { return .processed(result) }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN where blockingErrors, EWOULDBLOCK where blockingErrors:
                return .wouldBlock
            default:
                throw SocketError.failed(call: call, errno: code)
            }
        }
    }

    @inline(__always)
    private static func plain<T: FixedWidthInteger>(_ call: String, _ body: () -> T) throws(SocketError) -> T {
        switch try retrying(call, blockingErrors: false, body) {
        case .processed(let value): return value
        case .wouldBlock: throw SocketError.failed(call: call, errno: EAGAIN)
        }
    }

    /// A non-blocking, close-on-exec stream socket.
    static func socket(family: Int32) throws(SocketError) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return try plain("socket") { Glibc.socket(family, type, 0) }
    }

    /// Starts a connect; `.wouldBlock` means EINPROGRESS (wait for writability, then `socketError`).
    static func connect(_ fd: Int32, to address: SocketAddress) throws(SocketError) -> IOResult<Void> {
        while true {
            let result = address.withSockAddr { pointer, length in Glibc.connect(fd, pointer, length) }
            if result == 0 { return .processed(()) }
            let code = errno
            switch code {
            case EINTR:
                // The connect continues in the background after EINTR; treat it like EINPROGRESS.
                return .wouldBlock
            case EINPROGRESS, EAGAIN:
                return .wouldBlock
            default:
                throw SocketError.failed(call: "connect", errno: code)
            }
        }
    }

    /// The pending error of a socket (SO_ERROR), 0 if none.
    static func socketError(_ fd: Int32) throws(SocketError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = try plain("getsockopt(SO_ERROR)") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) }
        return value
    }

    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32, label: String) throws(SocketError) {
        var value = value
        _ = try plain("setsockopt(\(label))") {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    static func setNoDelay(_ fd: Int32) throws(SocketError) {
        try setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1, label: "TCP_NODELAY")
    }

    static func bind(_ fd: Int32, to address: SocketAddress) throws(SocketError) {
        _ = try plain("bind") { address.withSockAddr { pointer, length in Glibc.bind(fd, pointer, length) } }
    }

    static func listen(_ fd: Int32, backlog: Int32) throws(SocketError) {
        _ = try plain("listen") { Glibc.listen(fd, backlog) }
    }

    static func localAddress(_ fd: Int32) throws(SocketError) -> SocketAddress {
        var address = SocketAddress()
        _ = try plain("getsockname") { address.withMutableSockAddr { pointer, length in getsockname(fd, pointer, length) } }
        return address
    }

    /// Accepts one connection as a non-blocking, close-on-exec socket.
    static func accept(_ fd: Int32) throws(SocketError) -> IOResult<(fd: Int32, address: SocketAddress)> {
        var address = SocketAddress()
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let result = try retrying("accept4", blockingErrors: true) {
            address.withMutableSockAddr { pointer, length in accept4(fd, pointer, length, flags) }
        }
        switch result {
        case .processed(let newFD): return .processed((newFD, address))
        case .wouldBlock: return .wouldBlock
        }
    }

    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) throws(SocketError) -> IOResult<Int> {
        try retrying("recv", blockingErrors: true) { recv(fd, buffer, count, 0) }
    }

    /// Sends without ever raising SIGPIPE (MSG_NOSIGNAL).
    static func send(_ fd: Int32, from buffer: UnsafeRawPointer, count: Int) throws(SocketError) -> IOResult<Int> {
        try retrying("send", blockingErrors: true) { Glibc.send(fd, buffer, count, Int32(MSG_NOSIGNAL)) }
    }

    static func shutdownOutput(_ fd: Int32) throws(SocketError) {
        _ = try plain("shutdown") { Glibc.shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Closes a descriptor. Never retried: on Linux the descriptor is gone even after EINTR.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// A second descriptor for the same socket (close-on-exec), nil if none is available.
    static func duplicate(_ fd: Int32) -> Int32? {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        return copy >= 0 ? copy : nil
    }
}
