import Testing
import TestSupport
@testable import Sockets

/// Readiness is edge-triggered (announced once per arrival). These tests drive the moments
/// where an announcement could fall between an operation's failed attempt and its parking,
/// or reach a descriptor number that was closed and reused: a lost wake-up shows up as a
/// read that times out, a misdelivered one as wrong bytes.
@Suite("Edge-triggered readiness", .timeLimit(.minutes(1)))
struct ReadinessTests {
    private func connectedPair(_ listener: TCPListener) async throws -> (client: SocketStream, server: SocketStream) {
        async let accepted = listener.accept()
        let client = try await SocketStream.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        return (client, try await accepted)
    }

    @Test("16 pairs × 3,000 one-byte ping-pongs: every wake-up arrives")
    func pingPongNeverLosesAWakeUp() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let rounds = 3_000
        let completed = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                let (client, server) = try await connectedPair(listener)
                // The server echoes each byte back as soon as it has read it; both sides park
                // on almost every read, and the peer's byte arrives just as they do.
                group.addTask {
                    defer { server.close() }
                    var echoed = 0
                    while echoed < rounds {
                        let bytes = try await server.read(maxBytes: 1, timeout: .seconds(5))
                        guard !bytes.isEmpty else { break }
                        try await server.write(bytes, timeout: .seconds(5))
                        echoed += 1
                    }
                    return 0
                }
                group.addTask {
                    defer { client.close() }
                    for round in 0..<rounds {
                        let byte = UInt8(truncatingIfNeeded: round)
                        try await client.write([byte], timeout: .seconds(5))
                        let answer = try await client.read(maxBytes: 1, timeout: .seconds(5))
                        guard answer == [byte] else { return round }
                    }
                    return rounds
                }
            }
            var total = 0
            for try await count in group { total += count }
            return total
        }
        #expect(completed == 16 * rounds)
    }

    @Test("bytes and the end of stream that arrive while nobody reads: the bytes, then EOF")
    func endOfStreamAfterUnreadBytes() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        for _ in 0..<20 {
            let (client, server) = try await connectedPair(listener)
            defer { client.close(); server.close() }
            // Registers the client with its reactor, so the events below are seen by it.
            let first = Task { try await client.read(timeout: .seconds(2)) }
            try await server.write(Array("first".utf8))
            #expect(try await first.value == Array("first".utf8))
            try await server.write(Array("abc".utf8))
            server.close()
            // The reactor has taken both events (bytes, then EOF) before anyone reads.
            #expect(await eventually(timeout: .seconds(10)) { client.channel.hasSeenHangUp })
            #expect(try await client.read(timeout: .seconds(2)) == Array("abc".utf8))
            #expect(try await client.read(timeout: .seconds(2)) == [])
        }
    }

    @Test("2,000 short connections reuse descriptor numbers while 8 others stay busy")
    func descriptorReuse() async throws {
        try await withEchoServer { server in
            let port = server.port
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Long-lived connections keep exchanging while short ones open and close around
                // them, so their numbers are reused under events still in flight.
                for index in 0..<8 {
                    group.addTask {
                        let stream = try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
                        defer { stream.close() }
                        for round in 0..<300 {
                            let message = Array("long \(index) round \(round)\r\n".utf8)
                            try await stream.write(message, timeout: .seconds(5))
                            let echoed = try await readExactly(stream, count: message.count)
                            #expect(echoed == message)
                        }
                    }
                }
                for worker in 0..<4 {
                    group.addTask {
                        for index in 0..<500 {
                            let stream = try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
                            defer { stream.close() }
                            let message = Array("short \(worker)-\(index)\r\n".utf8)
                            try await stream.write(message, timeout: .seconds(5))
                            #expect(try await readExactly(stream, count: message.count) == message)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
