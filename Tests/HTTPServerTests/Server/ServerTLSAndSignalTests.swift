import Foundation
import Testing
import TestSupport
import Sockets
@testable import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// A self-signed certificate for localhost made with the `openssl` tool; fails loudly without it.
private func makeSelfSignedCertificate() throws -> (certificate: String, key: String) {
    let directory = NSTemporaryDirectory() + "http-tls-\(getpid())-\(UInt32.random(in: 0 ... .max))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem", "-days", "1",
                         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl req failed (\(process.terminationStatus))"])
    }
    return (directory + "/cert.pem", directory + "/key.pem")
}

@Suite("Server: HTTPS and signals")
struct ServerTLSAndSignalTests {
    @Test("HTTPS: a TLS client gets the same answers, keep-alive included")
    func https() async throws {
        let files = try makeSelfSignedCertificate()
        let context = try TLSServerContext(certificateFile: files.certificate, privateKeyFile: files.key)
        try await withTestServer(configure: { $0.tls = context }, routes: { router in
            router.add(.get, "/health") { _ in .text("secure") }
        }) { server in
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(10),
                                                        tls: TLSClientConfiguration(insecureSkipVerification: true))
            defer { stream.close() }
            #expect(stream.isTLS)
            for _ in 0..<2 {
                try await stream.write(Array("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), timeout: .seconds(10))
                var received: [UInt8] = []
                while !String(decoding: received, as: UTF8.self).hasSuffix("secure") {
                    let bytes = try await stream.read(maxBytes: 4096, timeout: .seconds(10))
                    guard !bytes.isEmpty else { break }
                    received += bytes
                }
                let text = String(decoding: received, as: UTF8.self)
                #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(text.hasSuffix("\r\n\r\nsecure"))
            }
        }
    }

    @Test("a plain-text client on the HTTPS port is dropped, the server keeps serving")
    func plainOnTLSPort() async throws {
        let files = try makeSelfSignedCertificate()
        let context = try TLSServerContext(certificateFile: files.certificate, privateKeyFile: files.key)
        try await withTestServer(configure: { $0.tls = context }, routes: { router in
            router.add(.get, "/health") { _ in .text("secure") }
        }) { server in
            let plain = try await server.connect()
            try await plain.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(await plain.isClosedByServer())
        }
    }

    @Test("the signal waiter returns when its signal arrives")
    func signalWaiter() async throws {
        // Ignored up front, so a signal sent before the Dispatch source is armed cannot kill the test run.
        signal(SIGUSR2, SIG_IGN)
        let returned = ProgressCounter()
        let waiter = Task {
            await SignalWaiter.wait(for: [SIGUSR2])
            returned.add(1)
        }
        // The Dispatch source is armed asynchronously: keep signalling until the waiter returns.
        let finished = await eventually(timeout: .seconds(10)) {
            kill(getpid(), SIGUSR2)
            return returned.current == 1
        }
        #expect(finished)
        waiter.cancel()
    }
}
