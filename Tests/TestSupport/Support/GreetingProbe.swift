import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One readiness check against a loopback port: connect and, optionally, read the IMAP greeting.
/// Every wait is bounded by `poll` with a timeout; nothing here blocks without a deadline.
enum GreetingProbe {
    enum Outcome: Equatable {
        case greeted(String)
        case accepted
        case refused(String)
    }

    static func check(port: Int, expectGreeting: Bool, timeoutMilliseconds: Int32) -> Outcome {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .refused("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = LoopbackAddress.make(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 && errno != EINPROGRESS { return .refused("connect: \(String(cString: strerror(errno)))") }
        guard wait(fd, for: Int16(POLLOUT), timeoutMilliseconds) else { return .refused("connect timed out") }
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
        guard socketError == 0 else { return .refused("connect: \(String(cString: strerror(socketError)))") }
        guard expectGreeting else { return .accepted }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while !received.contains(UInt8(ascii: "\n")) {
            guard wait(fd, for: Int16(POLLIN), timeoutMilliseconds) else { return .refused("no greeting yet") }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            guard count > 0 else { return .refused("closed before greeting") }
            received += buffer[0..<count]
        }
        let line = String(decoding: received, as: UTF8.self)
        return line.hasPrefix("* OK") ? .greeted(line) : .refused("unexpected greeting: \(line)")
    }

    private static func wait(_ fd: Int32, for events: Int16, _ timeoutMilliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let ready = poll(&descriptor, 1, timeoutMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }
}
