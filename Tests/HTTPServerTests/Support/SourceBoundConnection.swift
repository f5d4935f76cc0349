import Dispatch
@testable import Sockets

/// Connections from a chosen loopback address (`127.0.0.2`, ...): Linux routes all of
/// 127.0.0.0/8 to the loopback interface, so a test can play many clients at once.
enum SourceBoundConnection {
    static func connect(from source: String, port: Int, timeout: Duration = .seconds(5)) async throws -> SocketStream {
        let deadline = Deadline.fromNow(timeout)
        guard let remote = try await Resolver.resolve(host: "127.0.0.1", port: port, deadline: deadline).first,
              let local = try await Resolver.resolve(host: source, port: 0, deadline: deadline).first else {
            throw SocketError.connectFailed(host: source, port: port, message: "no address")
        }
        let fd = try Syscall.socket(family: remote.family)
        let stream = SocketStream(channel: Channel(fd: fd), remoteAddress: remote.description)
        do {
            try Syscall.bind(fd, to: local)
            if case .wouldBlock = try Syscall.connect(fd, to: remote) {
                _ = try await stream.channel.perform(.connect, name: .text("connect from \(source)"), deadline: deadline,
                                                     waitFirst: .writable)
            }
        } catch {
            stream.close()
            throw error
        }
        return stream
    }
}
