import Testing
import TestSupport
@testable import Sockets

/// A connected pair over loopback: `client` connected to `server` (the accepted side).
private func connectedPair() async throws -> (client: SocketStream, server: SocketStream, listener: TCPListener) {
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    async let accepted = listener.accept()
    let client = try await SocketStream.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
    return (client, try await accepted, listener)
}

@Suite("Writes, deadlines and concurrent use", .timeLimit(.minutes(1)))
struct WriteAndConcurrencyTests {
    /// More than loopback socket buffers hold, so a write to a peer that never reads must park.
    private let moreThanBuffers = [UInt8](repeating: 0x5A, count: 64 * 1024 * 1024)

    @Test("a write to a peer that never reads times out")
    func writeTimeout() async throws {
        let (client, server, listener) = try await connectedPair()
        defer { client.close(); server.close(); listener.close() }
        await #expect {
            try await client.write(moreThanBuffers, timeout: .milliseconds(300))
        } throws: { error in
            (error as? SocketError)?.isTimedOut == true
        }
    }

    @Test("close() wakes a write parked on a full socket buffer")
    func closeWakesWrite() async throws {
        let (client, server, listener) = try await connectedPair()
        defer { server.close(); listener.close() }
        let buffer = moreThanBuffers
        let writer = Task { try await client.write(buffer) }
        #expect(await eventually(timeout: .seconds(10)) { client.channel.hasParkedWrite })
        client.close()
        await #expect(throws: SocketError.closed) { try await writer.value }
    }

    @Test("cancelling the task wakes a parked write")
    func cancellationWakesWrite() async throws {
        let (client, server, listener) = try await connectedPair()
        defer { client.close(); server.close(); listener.close() }
        let buffer = moreThanBuffers
        let writer = Task { try await client.write(buffer) }
        #expect(await eventually(timeout: .seconds(10)) { client.channel.hasParkedWrite })
        writer.cancel()
        await #expect(throws: CancellationError.self) { try await writer.value }
    }

    @Test("a second read while one is pending is refused, the first still works")
    func secondReadRefused() async throws {
        let (client, server, listener) = try await connectedPair()
        defer { client.close(); server.close(); listener.close() }
        // Either read may park first; the background one simply retries when refused, so the
        // polling loop below sees a refusal once the background read has parked.
        let first = Task {
            while true {
                do {
                    return try await client.read(timeout: .seconds(5))
                } catch SocketError.operationInProgress {
                    await Task.yield()
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        var refusal: SocketError?
        while refusal == nil && ContinuousClock.now < deadline {
            do {
                _ = try await client.read(timeout: .milliseconds(1))
            } catch let error as SocketError {
                if case .operationInProgress = error { refusal = error }
            }
        }
        #expect(refusal != nil)
        try await server.write([1])
        #expect(try await first.value == [1])
    }

    @Test("a read and a write may be pending at the same time")
    func fullDuplex() async throws {
        let (client, server, listener) = try await connectedPair()
        defer { client.close(); server.close(); listener.close() }
        let reader = Task { try await client.read(timeout: .seconds(5)) }
        try await client.write(Array("ping".utf8), timeout: .seconds(5))
        #expect(try await readExactly(server, count: 4) == Array("ping".utf8))
        try await server.write(Array("pong".utf8))
        #expect(try await reader.value == Array("pong".utf8))
    }

    @Test("the accepted side reports the client's address")
    func acceptedRemoteAddress() async throws {
        let (client, server, listener) = try await connectedPair()
        defer { client.close(); server.close(); listener.close() }
        #expect(server.remoteAddress.hasPrefix("127.0.0.1:"))
        #expect(server.remoteAddress != "127.0.0.1:\(listener.port)")
    }

    @Test("200 connections echo at once")
    func manyConnections() async throws {
        try await withEchoServer { server in
            let port = server.port
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let stream = try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .seconds(10))
                        defer { stream.close() }
                        let message = Array("connection \(index)\r\n".utf8)
                        try await stream.write(message)
                        return try await readExactly(stream, count: message.count) == message
                    }
                }
                var all: [Bool] = []
                for try await ok in group { all.append(ok) }
                return all
            }
            #expect(results.count == 200)
            #expect(results.allSatisfy { $0 })
        }
    }
}

@Suite("Listener and connect failures", .timeLimit(.minutes(1)))
struct ListenerFailureTests {
    @Test("listening on a port in use gives listenFailed with the reason")
    func portInUse() throws {
        let first = try TCPListener(host: "127.0.0.1", port: 0)
        defer { first.close() }
        #expect {
            _ = try TCPListener(host: "127.0.0.1", port: first.port)
        } throws: { error in
            guard case .listenFailed(_, let port, let message) = error as? SocketError else { return false }
            return port == first.port && message.contains("in use")
        }
    }

    @Test("a connect the peer never answers times out within the deadline")
    func connectTimeout() async throws {
        // A listener that never accepts and has a backlog of 1: once its queue is full the
        // kernel drops further SYNs, so the next connect can only time out.
        let listener = try TCPListener(host: "127.0.0.1", port: 0, backlog: 1)
        defer { listener.close() }
        var held: [SocketStream] = []
        defer { held.forEach { $0.close() } }
        var timedOut = false
        for _ in 0..<8 where !timedOut {
            let start = ContinuousClock.now
            do {
                held.append(try await SocketStream.connect(host: "127.0.0.1", port: listener.port, timeout: .milliseconds(300)))
            } catch let error as SocketError {
                guard case .timedOut(let operation) = error else {
                    Issue.record("expected timedOut, got \(error)")
                    return
                }
                #expect(operation.contains("127.0.0.1:\(listener.port)"))
                // Generous: the point is "gives up near its deadline", not the kernel's minutes of SYN retries.
                #expect(ContinuousClock.now - start < .seconds(5))
                timedOut = true
            }
        }
        #expect(timedOut, "every connect succeeded; the backlog did not fill")
    }

    @Test("cancelling a connect that hangs throws CancellationError promptly")
    func connectCancellation() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0, backlog: 1)
        defer { listener.close() }
        let port = listener.port
        var held: [SocketStream] = []
        defer { held.forEach { $0.close() } }
        // Fill the backlog (as in the timeout test), then park a connect and cancel it.
        for _ in 0..<8 {
            guard let stream = try? await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .milliseconds(300)) else { break }
            held.append(stream)
        }
        let descriptors = openDescriptorCount()
        let connecting = Task { try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .seconds(30)) }
        // Its socket exists: the connect is under way (it parks right after the SYN is sent).
        #expect(await eventually(timeout: .seconds(10)) { openDescriptorCount() > descriptors })
        let start = ContinuousClock.now
        connecting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await connecting.value }
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
