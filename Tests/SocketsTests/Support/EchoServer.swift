import Sockets
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` with an echo server and returns only after the server has stopped: listener
/// closed, accept loop and every connection's task ended, also when `body` throws.
@discardableResult
func withEchoServer<T>(
    host: String = "127.0.0.1", prepare: @escaping @Sendable (SocketStream) async throws -> Void = { _ in },
    _ body: (EchoServer) async throws -> T
) async throws -> T {
    try await withScoped(try EchoServer(host: host, prepare: prepare), stop: { await $0.stopAndWait() }, body)
}

/// A listener on an ephemeral loopback port that echoes every connection until EOF.
/// `prepare` runs on each accepted stream first (for example `acceptTLS`). Tests use
/// `withEchoServer { server in ... }`.
final class EchoServer: Sendable {
    let listener: TCPListener
    private let acceptLoop: Task<Void, Never>

    init(host: String = "127.0.0.1", prepare: @escaping @Sendable (SocketStream) async throws -> Void = { _ in }) throws {
        let listener = try TCPListener(host: host, port: 0)
        self.listener = listener
        // Connections are child tasks: the loop ends only after all of them have, and cancelling
        // it wakes their parked reads.
        acceptLoop = Task {
            await withDiscardingTaskGroup { group in
                while let stream = try? await listener.accept() {
                    group.addTask {
                        defer { stream.close() }
                        do {
                            try await prepare(stream)
                            while true {
                                let bytes = try await stream.read()
                                if bytes.isEmpty { return }
                                try await stream.write(bytes)
                            }
                        } catch {
                            return
                        }
                    }
                }
            }
        }
    }

    var port: Int { listener.port }

    func stop() {
        listener.close()
        acceptLoop.cancel()
    }

    /// Stops, then waits until the accept loop and every connection task have ended.
    func stopAndWait() async {
        stop()
        await acceptLoop.value
    }
}

/// Reads until exactly `count` bytes arrived (or EOF, which then returns fewer).
func readExactly(_ stream: SocketStream, count: Int, timeout: Duration = .seconds(10)) async throws -> [UInt8] {
    var collected: [UInt8] = []
    collected.reserveCapacity(count)
    while collected.count < count {
        let chunk = try await stream.read(maxBytes: count - collected.count, timeout: timeout)
        if chunk.isEmpty { break }
        collected += chunk
    }
    return collected
}

extension SocketError {
    var isTimedOut: Bool {
        if case .timedOut = self { return true }
        return false
    }
}

/// Whether this machine has an IPv6 loopback address to bind.
func ipv6LoopbackProblem() -> String? {
    do {
        let listener = try TCPListener(host: "::1", port: 0)
        listener.close()
        return nil
    } catch {
        return "cannot bind [::1]: \(error)"
    }
}

/// Byte-wise equality with memcmp: `==` on slices is far too slow for megabytes in debug builds.
func sameBytes(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
}
