#if canImport(Glibc)
import Glibc
#endif
import Dispatch

extension SocketStream {
    /// Connects to `host` (name, IPv4 or IPv6 literal), trying each resolved address in turn
    /// within `timeout`; with `tls`, also completes the TLS handshake within the same `timeout`.
    public static func connect(host: String, port: Int, timeout: Duration, tls: TLSClientConfiguration? = nil) async throws -> SocketStream {
        _ = SignalSetup.ignoreBrokenPipe
        let deadline = Deadline.fromNow(timeout)
        let operation = "connect to \(host):\(port)"
        let addresses = try await Resolver.resolve(host: host, port: port, deadline: deadline)
        var refusals = 0
        var failures: [String] = []
        for (index, address) in addresses.enumerated() {
            try Task.checkCancellation()
            let now = DispatchTime.now()
            if now >= deadline { throw SocketError.timedOut(operation: operation) }
            // Earlier addresses get an equal share of the time left, so one black-holed
            // address (often IPv6) cannot eat the whole deadline; the last gets the rest.
            let left = UInt64(addresses.count - index)
            let share = (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / left
            let attemptDeadline = index == addresses.count - 1 ? deadline : now + .nanoseconds(Int(min(share, UInt64(Int.max))))
            let stream: SocketStream
            do {
                stream = try await connectOnce(to: address, deadline: attemptDeadline, operation: operation)
            } catch SocketError.failed(_, let code) where code == ECONNREFUSED {
                refusals += 1
                failures.append("\(address): \(SocketError.errnoText(code))")
                continue
            } catch SocketError.failed(let call, let code) {
                failures.append("\(address): \(call): \(SocketError.errnoText(code))")
                continue
            } catch SocketError.timedOut {
                failures.append("\(address): timed out")
                continue
            }
            if let tls {
                try await stream.startTLS(tls, host: host, deadline: deadline)
            }
            return stream
        }
        if refusals == addresses.count { throw SocketError.connectionRefused(host: host, port: port) }
        if DispatchTime.now() >= deadline { throw SocketError.timedOut(operation: operation) }
        throw SocketError.connectFailed(host: host, port: port, message: failures.joined(separator: "; "))
    }

    private static func connectOnce(to address: SocketAddress, deadline: DispatchTime, operation: String) async throws -> SocketStream {
        let fd = try Syscall.socket(family: address.family)
        let stream = SocketStream(channel: Channel(fd: fd), remoteAddress: address.description)
        do {
            if case .wouldBlock = try Syscall.connect(fd, to: address) {
                _ = try await stream.channel.perform(.connect, name: .text("\(operation) (\(address))"), deadline: deadline, waitFirst: .writable)
            }
            try Syscall.setNoDelay(fd)
        } catch {
            stream.close()
            throw error
        }
        return stream
    }
}
