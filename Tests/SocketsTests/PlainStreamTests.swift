import Testing
import TestSupport
@testable import Sockets

@Suite("Plain TCP streams over loopback", .timeLimit(.minutes(1)))
struct PlainStreamTests {
    @Test("echo both ways over IPv4")
    func echoIPv4() async throws {
        try await withEchoServer(host: "127.0.0.1") { server in
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
            defer { stream.close() }
            #expect(stream.remoteAddress == "127.0.0.1:\(server.port)")
            #expect(!stream.isTLS)
            try await stream.write(Array("hello\r\n".utf8))
            #expect(try await readExactly(stream, count: 7) == Array("hello\r\n".utf8))
            try await stream.write(Array("second line".utf8)[2...])
            #expect(try await readExactly(stream, count: 9) == Array("cond line".utf8))
        }
    }

    @Test("echo both ways over IPv6 (::1)")
    func echoIPv6() async throws {
        if let problem = ipv6LoopbackProblem() {
            // Recorded as a failure with its reason rather than passing silently.
            Issue.record("IPv6 test not run: this machine has no usable ::1 (\(problem))")
            return
        }
        try await withEchoServer(host: "::1") { server in
            let stream = try await SocketStream.connect(host: "::1", port: server.port, timeout: .seconds(5))
            defer { stream.close() }
            #expect(stream.remoteAddress == "[::1]:\(server.port)")
            try await stream.write(Array("over six".utf8))
            #expect(try await readExactly(stream, count: 8) == Array("over six".utf8))
            // The bracketed form people copy from URLs works too.
            let bracketed = try await SocketStream.connect(host: "[::1]", port: server.port, timeout: .seconds(5))
            defer { bracketed.close() }
            try await bracketed.write([6])
            #expect(try await readExactly(bracketed, count: 1) == [6])
        }
    }

    @Test("connecting by name tries every address of localhost")
    func connectByName() async throws {
        try await withEchoServer(host: "127.0.0.1") { server in
            // localhost may resolve to ::1 first, which refuses; the IPv4 address must then be tried.
            let stream = try await SocketStream.connect(host: "localhost", port: server.port, timeout: .seconds(5))
            defer { stream.close() }
            try await stream.write([1, 2, 3])
            #expect(try await readExactly(stream, count: 3) == [1, 2, 3])
        }
    }

    @Test("20 MB each way with backpressure")
    func largeTransfer() async throws {
        try await withEchoServer { server in
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
            defer { stream.close() }
            let total = 20 * 1024 * 1024
            let chunk = (0..<(256 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            // Writer and reader run at once: the echo server can only send back as fast as we read,
            // so the writer must be held back by a full socket buffer and resume later.
            async let sent: Void = {
                var offset = 0
                while offset < total {
                    try await stream.write(chunk, timeout: .seconds(20))
                    offset += chunk.count
                }
            }()
            var received = 0
            var mismatches = 0
            while received < total {
                let bytes = try await stream.read(timeout: .seconds(20))
                if bytes.isEmpty { break }
                // Compare whole runs against the pattern (cheap even in debug builds).
                var offset = 0
                while offset < bytes.count {
                    let position = (received + offset) % chunk.count
                    let run = min(bytes.count - offset, chunk.count - position)
                    if !sameBytes(bytes[offset..<(offset + run)], chunk[position..<(position + run)]) { mismatches += 1 }
                    offset += run
                }
                received += bytes.count
            }
            try await sent
            #expect(received == total)
            #expect(mismatches == 0)
        }
    }

    @Test("EOF is an empty read, and stays so")
    func endOfStream() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        async let accepted = listener.accept()
        let client = try await SocketStream.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try await accepted
        defer { server.close() }
        try await client.write(Array("bye".utf8))
        client.close()
        #expect(try await readExactly(server, count: 3) == Array("bye".utf8))
        #expect(try await server.read(timeout: .seconds(5)) == [])
        #expect(try await server.read(timeout: .seconds(5)) == [])
    }

    @Test("shutdownWrite: the peer sees EOF and can still answer")
    func halfClose() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        async let accepted = listener.accept()
        let client = try await SocketStream.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        defer { client.close() }
        let server = try await accepted
        defer { server.close() }
        try await client.write(Array("request".utf8))
        try client.shutdownWrite()
        try client.shutdownWrite()  // idempotent
        await #expect(throws: SocketError.closed) { try await client.write([0]) }
        #expect(try await readExactly(server, count: 7) == Array("request".utf8))
        #expect(try await server.read(timeout: .seconds(5)) == [])
        try await server.write(Array("answer".utf8))
        server.close()
        #expect(try await readExactly(client, count: 6) == Array("answer".utf8))
        #expect(try await client.read(timeout: .seconds(5)) == [])
    }

    @Test("a read with a timeout and no data throws timedOut")
    func readTimeout() async throws {
        try await withEchoServer { server in
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
            defer { stream.close() }
            let start = ContinuousClock.now
            await #expect {
                _ = try await stream.read(timeout: .milliseconds(200))
            } throws: { error in
                (error as? SocketError)?.isTimedOut == true
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(190))
            #expect(elapsed < .seconds(10))  // loose: timers fire late on a loaded 2-core machine
            // The stream still works after a timed-out read.
            try await stream.write([42])
            #expect(try await stream.read(timeout: .seconds(5)) == [42])
        }
    }

    @Test("close() wakes a pending read with SocketError.closed")
    func closeWakesRead() async throws {
        try await withEchoServer { server in
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
            let reader = Task { try await stream.read() }
            #expect(await eventually(timeout: .seconds(10)) { stream.channel.hasParkedRead })
            stream.close()
            await #expect(throws: SocketError.closed) { try await reader.value }
            stream.close()  // idempotent
            await #expect(throws: SocketError.closed) { try await stream.read() }
        }
    }

    @Test("cancelling the task wakes a pending read with CancellationError")
    func cancellationWakesRead() async throws {
        try await withEchoServer { server in
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
            defer { stream.close() }
            let reader = Task { try await stream.read() }
            #expect(await eventually(timeout: .seconds(10)) { stream.channel.hasParkedRead })
            reader.cancel()
            await #expect(throws: CancellationError.self) { try await reader.value }
            // The stream is still usable by the next reader.
            try await stream.write([7])
            #expect(try await stream.read(timeout: .seconds(5)) == [7])
        }
    }

    @Test("cancelling the task wakes a pending accept; the listener keeps working")
    func cancellationWakesAccept() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let acceptor = Task { try await listener.accept() }
        #expect(await eventually(timeout: .seconds(10)) { listener.channel.hasParkedRead })
        acceptor.cancel()
        await #expect(throws: CancellationError.self) { _ = try await acceptor.value }
        async let accepted = listener.accept()
        let client = try await SocketStream.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        defer { client.close() }
        let server = try await accepted
        server.close()
        #expect(try await client.read(timeout: .seconds(5)) == [])
    }

    @Test("closing the listener wakes a pending accept with SocketError.closed")
    func listenerClose() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        #expect(listener.port > 0)
        let acceptor = Task { try await listener.accept() }
        #expect(await eventually(timeout: .seconds(10)) { listener.channel.hasParkedRead })
        listener.close()
        await #expect(throws: SocketError.closed) { _ = try await acceptor.value }
    }
}
