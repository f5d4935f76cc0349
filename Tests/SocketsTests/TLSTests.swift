import Testing
import Sockets

@Suite("TLS over loopback with a throwaway CA", .timeLimit(.minutes(1)))
struct TLSTests {
    let certificates: TestCertificates
    let serverContext: TLSServerContext

    init() throws {
        certificates = try TestCertificates.shared.get()
        serverContext = try TLSServerContext(
            certificateFile: certificates.serverCertificateFile, privateKeyFile: certificates.serverKeyFile)
    }

    /// An echo server that accepts TLS with the test certificate, stopped when `body` returns.
    @discardableResult
    private func withTLSEchoServer<T>(_ body: (EchoServer) async throws -> T) async throws -> T {
        let context = serverContext
        return try await withEchoServer(prepare: { stream in try await stream.acceptTLS(context, timeout: .seconds(10)) }, body)
    }

    private func expectVerificationFailure(
        host: String, port: Int, _ configuration: TLSClientConfiguration, reason: String
    ) async {
        do {
            let stream = try await SocketStream.connect(host: host, port: port, timeout: .seconds(10), tls: configuration)
            stream.close()
            Issue.record("TLS connect with \(configuration) succeeded but should fail verification")
        } catch let error as SocketError {
            guard case .certificateVerificationFailed(let verifiedName, let message) = error else {
                Issue.record("expected certificateVerificationFailed, got \(error)")
                return
            }
            #expect(verifiedName == (configuration.serverName ?? host))
            #expect(message.contains(reason))
        } catch {
            Issue.record("expected a SocketError, got \(error)")
        }
    }

    @Test("client trusting the test CA connects to localhost and echoes")
    func verifiedEcho() async throws {
        try await withTLSEchoServer { server in
            let stream = try await SocketStream.connect(
                host: "localhost", port: server.port, timeout: .seconds(10),
                tls: TLSClientConfiguration(caFile: certificates.caFile))
            defer { stream.close() }
            #expect(stream.isTLS)
            try await stream.write(Array("a1 NOOP\r\n".utf8))
            #expect(try await readExactly(stream, count: 9) == Array("a1 NOOP\r\n".utf8))
        }
    }

    @Test("an IP literal is verified against the certificate's IP SAN")
    func verifiedIPAddress() async throws {
        try await withTLSEchoServer { server in
            let stream = try await SocketStream.connect(
                host: "127.0.0.1", port: server.port, timeout: .seconds(10),
                tls: TLSClientConfiguration(caFile: certificates.caFile))
            defer { stream.close() }
            try await stream.write([1, 2, 3])
            #expect(try await readExactly(stream, count: 3) == [1, 2, 3])
        }
    }

    @Test("4 MB each way through TLS")
    func largeTLSTransfer() async throws {
        try await withTLSEchoServer { server in
            let stream = try await SocketStream.connect(
                host: "localhost", port: server.port, timeout: .seconds(10),
                tls: TLSClientConfiguration(caFile: certificates.caFile))
            defer { stream.close() }
            let total = 4 * 1024 * 1024
            let chunk = (0..<(100_000)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
            async let sent: Void = {
                var offset = 0
                while offset < total {
                    let count = min(chunk.count, total - offset)
                    try await stream.write(chunk[0..<count], timeout: .seconds(20))
                    offset += count
                }
            }()
            var received: [UInt8] = []
            received.reserveCapacity(total)
            while received.count < total {
                let bytes = try await stream.read(timeout: .seconds(20))
                if bytes.isEmpty { break }
                received += bytes
            }
            try await sent
            #expect(received.count == total)
            var expected: [UInt8] = []
            expected.reserveCapacity(total)
            while expected.count < total { expected += chunk.prefix(total - expected.count) }
            #expect(sameBytes(received[...], expected[...]))
        }
    }

    @Test("client using the system CA store rejects the test certificate")
    func systemStoreRejects() async throws {
        try await withTLSEchoServer { server in
            await expectVerificationFailure(
                host: "localhost", port: server.port, TLSClientConfiguration(), reason: "unable to get local issuer certificate")
        }
    }

    @Test("client expecting another name rejects the certificate")
    func wrongNameRejected() async throws {
        try await withTLSEchoServer { server in
            await expectVerificationFailure(
                host: "localhost", port: server.port,
                TLSClientConfiguration(caFile: certificates.caFile, serverName: "wrong.example"), reason: "hostname mismatch")
        }
    }

    @Test("insecureSkipVerification connects without trusting the CA")
    func insecureConnects() async throws {
        try await withTLSEchoServer { server in
            let stream = try await SocketStream.connect(
                host: "127.0.0.1", port: server.port, timeout: .seconds(10),
                tls: TLSClientConfiguration(insecureSkipVerification: true))
            defer { stream.close() }
            #expect(stream.isTLS)
            try await stream.write([9, 8, 7])
            #expect(try await readExactly(stream, count: 3) == [9, 8, 7])
        }
    }

    @Test("STARTTLS: a plain exchange, then the same connection upgraded in place")
    func startTLSUpgrade() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let context = serverContext
        let serverSide = Task {
            let stream = try await listener.accept()
            defer { stream.close() }
            #expect(try await readExactly(stream, count: 12) == Array("a1 STARTTLS\r\n".utf8.prefix(12)))
            _ = try await readExactly(stream, count: 1)
            try await stream.write(Array("a1 OK Begin TLS\r\n".utf8))
            try await stream.acceptTLS(context, timeout: .seconds(10))
            #expect(stream.isTLS)
            let secret = try await readExactly(stream, count: 6)
            try await stream.write(secret)
        }
        let client = try await SocketStream.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(10))
        defer { client.close() }
        try await client.write(Array("a1 STARTTLS\r\n".utf8))
        #expect(try await readExactly(client, count: 17) == Array("a1 OK Begin TLS\r\n".utf8))
        #expect(!client.isTLS)
        try await client.startTLS(TLSClientConfiguration(caFile: certificates.caFile), host: "localhost", timeout: .seconds(10))
        #expect(client.isTLS)
        try await client.write(Array("secret".utf8))
        #expect(try await readExactly(client, count: 6) == Array("secret".utf8))
        try await serverSide.value
    }

    @Test("the peer closing a TLS stream reads as EOF")
    func tlsEndOfStream() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let context = serverContext
        let serverSide = Task { () -> [[UInt8]] in
            let stream = try await listener.accept()
            defer { stream.close() }
            try await stream.acceptTLS(context, timeout: .seconds(10))
            let data = try await readExactly(stream, count: 4)
            return [data, try await stream.read(timeout: .seconds(5)), try await stream.read(timeout: .seconds(5))]
        }
        let client = try await SocketStream.connect(
            host: "localhost", port: listener.port, timeout: .seconds(10),
            tls: TLSClientConfiguration(caFile: certificates.caFile))
        try await client.write(Array("last".utf8))
        client.close()
        #expect(try await serverSide.value == [Array("last".utf8), [], []])
    }

    @Test("shutdownWrite over TLS: close_notify reads as EOF, the answer still arrives")
    func tlsHalfClose() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let context = serverContext
        let serverSide = Task {
            let stream = try await listener.accept()
            defer { stream.close() }
            try await stream.acceptTLS(context, timeout: .seconds(10))
            let request = try await readExactly(stream, count: 3)
            #expect(try await stream.read(timeout: .seconds(5)) == [])
            try await stream.write(request + request)
        }
        let client = try await SocketStream.connect(
            host: "localhost", port: listener.port, timeout: .seconds(10),
            tls: TLSClientConfiguration(caFile: certificates.caFile))
        defer { client.close() }
        try await client.write([1, 2, 3])
        try client.shutdownWrite()
        #expect(try await readExactly(client, count: 6) == [1, 2, 3, 1, 2, 3])
        try await serverSide.value
    }

    @Test("TLS to a server that does not speak TLS is a TLS error, not a verification failure")
    func tlsToPlainServer() async throws {
        // The echo server sends our ClientHello straight back, which is no ServerHello.
        try await withEchoServer { server in
            await #expect {
                _ = try await SocketStream.connect(
                    host: "127.0.0.1", port: server.port, timeout: .seconds(10),
                    tls: TLSClientConfiguration(caFile: certificates.caFile))
            } throws: { error in
                guard case .tls(let message) = error as? SocketError else { return false }
                return !message.isEmpty
            }
        }
    }

    @Test("a client that never starts the handshake makes acceptTLS time out and close the stream")
    func acceptTLSTimeout() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try await SocketStream.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        defer { client.close() }
        let stream = try await listener.accept()
        await #expect {
            try await stream.acceptTLS(serverContext, timeout: .milliseconds(200))
        } throws: { error in
            (error as? SocketError)?.isTimedOut == true
        }
        #expect(stream.isClosed)
        #expect(!stream.isTLS)
    }

    @Test("a missing certificate file is reported with its path")
    func missingCertificate() {
        #expect {
            _ = try TLSServerContext(certificateFile: "/nonexistent/cert.pem", privateKeyFile: certificates.serverKeyFile)
        } throws: { error in
            guard case .tls(let message) = error as? SocketError else { return false }
            return message.contains("/nonexistent/cert.pem")
        }
    }
}
