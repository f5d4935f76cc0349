import Testing
import TestSupport
@testable import Sockets

@Suite("Sources, descriptors and memory are released", .timeLimit(.minutes(1)))
struct LifecycleTests {
    @Test("a closed stream's channel is freed once its sources are cancelled (descriptor closed)")
    func channelFreedAfterClose() async throws {
        try await withEchoServer { server in
            weak var channel: Channel?
            do {
                let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
                channel = stream.channel
                // Park a read and a write-free exchange so both the read source and a timer exist.
                let reader = Task { try await stream.read(timeout: .seconds(30)) }
                #expect(await eventually(timeout: .seconds(10)) { stream.channel.hasParkedRead })
                try await stream.write([1])
                #expect(try await reader.value == [1])
                stream.close()
            }
            // The read source's cancel handler holds the channel until it has run and closed the fd.
            #expect(await eventually(timeout: .seconds(5)) { channel == nil })
        }
    }

    @Test("dropping an open stream without close() also frees it")
    func channelFreedOnDeinit() async throws {
        try await withEchoServer { server in
            weak var channel: Channel?
            do {
                let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
                channel = stream.channel
                await #expect(throws: SocketError.self) { _ = try await stream.read(timeout: .milliseconds(20)) }
            }
            #expect(await eventually(timeout: .seconds(5)) { channel == nil })
        }
    }

    @Test("a closed listener's channel is freed")
    func listenerFreed() async throws {
        weak var channel: Channel?
        do {
            let listener = try TCPListener(host: "127.0.0.1", port: 0)
            channel = listener.channel
            let acceptor = Task { try await listener.accept() }
            #expect(await eventually(timeout: .seconds(10)) { listener.channel.hasParkedRead })
            listener.close()
            _ = try? await acceptor.value
        }
        #expect(await eventually(timeout: .seconds(5)) { channel == nil })
    }

    @Test("a TLS stream is freed after close")
    func tlsChannelFreed() async throws {
        let certificates = try TestCertificates.shared.get()
        let context = try TLSServerContext(
            certificateFile: certificates.serverCertificateFile, privateKeyFile: certificates.serverKeyFile)
        try await withEchoServer(prepare: { try await $0.acceptTLS(context, timeout: .seconds(10)) }) { server in
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
            #expect(await eventually(timeout: .seconds(5)) { channel == nil })
        }
    }
}
