import Testing
@testable import Sockets

/// Polls `condition` until it holds or `timeout` passes.
private func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

@Suite("Sources, descriptors and memory are released", .timeLimit(.minutes(1)))
struct LifecycleTests {
    @Test("a closed stream's channel is freed once its sources are cancelled (descriptor closed)")
    func channelFreedAfterClose() async throws {
        let server = try EchoServer()
        defer { server.stop() }
        weak var channel: Channel?
        do {
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
            channel = stream.channel
            // Park a read and a write-free exchange so both the read source and a timer exist.
            let reader = Task { try await stream.read(timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(50))
            try await stream.write([1])
            #expect(try await reader.value == [1])
            stream.close()
        }
        // The read source's cancel handler holds the channel until it has run and closed the fd.
        #expect(try await eventually { channel == nil })
    }

    @Test("dropping an open stream without close() also frees it")
    func channelFreedOnDeinit() async throws {
        let server = try EchoServer()
        defer { server.stop() }
        weak var channel: Channel?
        do {
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
            channel = stream.channel
            await #expect(throws: SocketError.self) { _ = try await stream.read(timeout: .milliseconds(20)) }
        }
        #expect(try await eventually { channel == nil })
    }

    @Test("a closed listener's channel is freed")
    func listenerFreed() async throws {
        weak var channel: Channel?
        do {
            let listener = try TCPListener(host: "127.0.0.1", port: 0)
            channel = listener.channel
            let acceptor = Task { try await listener.accept() }
            try await Task.sleep(for: .milliseconds(50))
            listener.close()
            _ = try? await acceptor.value
        }
        #expect(try await eventually { channel == nil })
    }

    @Test("a TLS stream is freed after close")
    func tlsChannelFreed() async throws {
        let certificates = try TestCertificates.shared.get()
        let context = try TLSServerContext(
            certificateFile: certificates.serverCertificateFile, privateKeyFile: certificates.serverKeyFile)
        let server = try EchoServer { try await $0.acceptTLS(context, timeout: .seconds(10)) }
        defer { server.stop() }
        weak var channel: Channel?
        do {
            let stream = try await SocketStream.connect(
                host: "localhost", port: server.port, timeout: .seconds(10),
                tls: TLSClientConfiguration(caFile: certificates.caFile))
            channel = stream.channel
            try await stream.write([5])
            #expect(try await stream.read(timeout: .seconds(5)) == [5])
            stream.close()
        }
        #expect(try await eventually { channel == nil })
    }
}
