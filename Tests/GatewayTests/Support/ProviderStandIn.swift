import Foundation
import Sockets
import TestSupport

/// Runs `body` with a `ProviderStandIn` and returns only after it has stopped (listener closed,
/// every connection's task ended), also when `body` throws.
@discardableResult
func withProviderStandIn<T>(
    forwardingTo port: Int, _ behavior: @escaping @Sendable (Int) -> ProviderStandIn.Behavior,
    _ body: (ProviderStandIn) async throws -> T
) async throws -> T {
    try await withScoped(try ProviderStandIn(forwardingTo: port, behavior), stop: { await $0.stop() }, body)
}

/// An IMAP server on a loopback port that plays a big provider's throttling answers (replayed
/// from the recorded transcripts in Tests/IMAPTests/Fixtures) on the connections chosen by
/// `behavior` and passes every other connection through to a real Dovecot. It counts the
/// connections it accepts: what "no reconnect storm" is measured by.
final class ProviderStandIn: Sendable {
    /// What one connection (numbered from 1) gets.
    enum Behavior: Sendable {
        /// Gmail: `NO [THROTTLED] Too many simultaneous connections. (Failure)` to the login.
        case gmailThrottled
        /// Office 365: the login succeeds, the next command gets `NO User is authenticated but not connected.`
        case office365NotConnected
        /// Accepted and closed at once, before any greeting (a reset).
        case reset
        /// Bytes passed both ways to Dovecot.
        case forward
    }

    private let listener: TCPListener
    private let upstream: Int
    private let behavior: @Sendable (Int) -> Behavior
    private let state = Protected((accepted: 0, tasks: [Task<Void, Never>](), streams: [SocketStream]()))
    private let acceptLoop = Protected<Task<Void, Never>?>(nil)

    var port: Int { listener.port }
    /// Connections accepted so far.
    var accepted: Int { state.withLock { $0.accepted } }

    init(forwardingTo upstream: Int, _ behavior: @escaping @Sendable (Int) -> Behavior) throws {
        listener = try TCPListener(host: "127.0.0.1", port: 0)
        self.upstream = upstream
        self.behavior = behavior
        let loop = Task { [listener, self] in
            while !Task.isCancelled {
                guard let stream = try? await listener.accept() else { return }
                let number = state.withLock { state in
                    state.streams.append(stream)
                    state.accepted += 1
                    return state.accepted
                }
                let task = Task { await self.serve(stream, as: self.behavior(number)) }
                state.withLock { $0.tasks.append(task) }
            }
        }
        acceptLoop.withLock { $0 = loop }
    }

    func stop() async {
        listener.close()
        let loop = acceptLoop.withLock { $0 }
        loop?.cancel()
        await loop?.value
        let (tasks, streams) = state.withLock { ($0.tasks, $0.streams) }
        for task in tasks { task.cancel() }
        // A read waiting on a socket ends when the socket closes.
        for stream in streams { stream.close() }
        for task in tasks { await task.value }
    }

    private func serve(_ client: SocketStream, as behavior: Behavior) async {
        defer { client.close() }
        switch behavior {
        case .reset:
            return
        case .forward:
            await forward(client)
        case .gmailThrottled, .office365NotConnected:
            try? await replay(client, behavior)
        }
    }

    /// The transcript's greeting and answers, line by line as the gateway asks.
    private func replay(_ client: SocketStream, _ behavior: Behavior) async throws {
        let gmail = behavior == .gmailThrottled
        func send(_ line: String) async throws { try await client.write(Array((line + "\r\n").utf8), timeout: .seconds(5)) }
        try await send(gmail ? "* OK Gimap ready for requests from 192.0.2.7 q2mb98765pjb"
                             : "* OK The Microsoft Exchange IMAP4 service is ready. [UABBADAAUAAyADgAMABDAEEAMAAwADAANwA=]")
        var buffer: [UInt8] = []
        var loggedIn = false
        while !Task.isCancelled {
            guard let end = buffer.firstIndex(of: 10) else {
                let bytes = try await client.read(maxBytes: 4096, timeout: .seconds(30))
                if bytes.isEmpty { return }
                buffer += bytes
                continue
            }
            let line = String(decoding: buffer[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            buffer.removeSubrange(...end)
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard words.count >= 2 else { continue }
            let (tag, command) = (words[0], words[1].uppercased())
            switch command {
            case "CAPABILITY" where !loggedIn:
                try await send(gmail ? "* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 AUTH=PLAIN"
                                     : "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE")
                try await send("\(tag) OK \(gmail ? "Thats all she wrote!" : "CAPABILITY completed.")")
            case "LOGIN", "AUTHENTICATE":
                if gmail {
                    try await send("\(tag) NO [THROTTLED] Too many simultaneous connections. (Failure)")
                } else {
                    loggedIn = true
                    try await send("\(tag) OK AUTHENTICATE completed.")
                }
            case "LOGOUT":
                try await send("* BYE Connection is closed. 13")
                try await send("\(tag) OK LOGOUT completed.")
                return
            default:
                try await send(loggedIn ? "\(tag) NO User is authenticated but not connected." : "\(tag) BAD Command Error. 12")
            }
        }
    }

    /// Passes bytes both ways until either side closes.
    private func forward(_ client: SocketStream) async {
        guard let server = try? await SocketStream.connect(host: "127.0.0.1", port: upstream, timeout: .seconds(5)) else { return }
        defer { server.close() }
        state.withLock { $0.streams.append(server) }
        await withTaskGroup(of: Void.self) { group in
            for (from, to) in [(client, server), (server, client)] {
                group.addTask {
                    while !Task.isCancelled {
                        guard let bytes = try? await from.read(maxBytes: 65536, timeout: .seconds(120)), !bytes.isEmpty,
                              (try? await to.write(bytes, timeout: .seconds(5))) != nil else { break }
                    }
                    // One side is done: end the other direction too.
                    from.close()
                    to.close()
                }
            }
        }
    }
}
