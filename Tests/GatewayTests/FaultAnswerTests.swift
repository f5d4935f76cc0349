import Foundation
import Gateway
import Sockets
import Testing
import TestSupport

/// Issue 13: exact answers when the IMAP server misbehaves or refuses, and when the client does.
@Suite("Answers under faults", .serialized)
struct FaultAnswerTests {
    /// A loopback "IMAP server" that accepts connections and runs `script` on each.
    final class Misbehaving: Sendable {
        let listener: TCPListener
        let loop: Task<Void, Never>
        var port: Int { listener.port }

        init(_ script: @escaping @Sendable (SocketStream) async -> Void) throws {
            let listener = try TCPListener(host: "127.0.0.1", port: 0)
            self.listener = listener
            loop = Task {
                await withDiscardingTaskGroup { group in
                    while let stream = try? await listener.accept() {
                        group.addTask {
                            await script(stream)
                            stream.close()
                        }
                    }
                }
            }
        }

        func stop() async {
            listener.close()
            loop.cancel()
            await loop.value
        }
    }

    static func withMisbehaving(_ script: @escaping @Sendable (SocketStream) async -> Void,
                                imapTimeout: Duration, _ body: (GatewayHarness) async throws -> Void) async throws {
        let server = try Misbehaving(script)
        do {
            try await withHarness(configure: {
                $0.imap = IMAPEndpoint(host: "127.0.0.1", port: server.port, security: .none)
                $0.imapCommandTimeout = imapTimeout
            }, body)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Holds the connection open without a word until the gateway leaves.
    static let silent: @Sendable (SocketStream) async -> Void = { stream in
        _ = try? await stream.read(maxBytes: 1, timeout: .seconds(30))
    }

    /// A greeting at one byte per 200 ms: each read is quick, the whole takes 15 s.
    static let dripping: @Sendable (SocketStream) async -> Void = { stream in
        for byte in Array("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] a greeting that takes its time to arrive\r\n".utf8) {
            guard (try? await stream.write([byte], timeout: .seconds(5))) != nil else { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
        _ = try? await stream.read(maxBytes: 1, timeout: .seconds(30))
    }

    @Test("a server that accepts and never greets is a 504 after --imap-timeout")
    func silentServer() async throws {
        try await Self.withMisbehaving(Self.silent, imapTimeout: .seconds(1)) { harness in
            let start = ContinuousClock.now
            let response = try await harness.request("/folders")
            #expect(response.status == 504)
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test("a greeting dripped byte by byte: /folders is a 504 after --imap-timeout and /ready a 503 within its 2 s")
    func drippingServer() async throws {
        try await Self.withMisbehaving(Self.dripping, imapTimeout: .seconds(1)) { harness in
            var start = ContinuousClock.now
            let folders = try await harness.request("/folders")
            #expect(folders.status == 504)
            #expect(ContinuousClock.now - start < .seconds(5))
            start = ContinuousClock.now
            let ready = try await harness.request("/ready", user: nil)
            #expect(ready.status == 503)
            #expect(ContinuousClock.now - start < .seconds(4))
        }
    }

    @Test("folder names the server refuses are 400 and deleting a folder with children 409, with the server's text")
    func refusalsAreClientErrors() async throws {
        try await withHarness { harness in
            // The gateway refuses some names itself (a leading or doubled delimiter); Dovecot refuses
            // '..' parts with NO [CANNOT], whose text must reach the client.
            for name in ["..", "a/../b", "/lead", "a//b"] {
                let response = try await harness.request("/folders", method: "POST", body: Data(#"{"name":"\#(name)"}"#.utf8))
                #expect(response.status == 400, "\(name): \(response.text)")
                if name.contains("..") {
                    #expect(((try? response.json())?["imap"] as? String)?.contains("..") == true, "\(name): \(response.text)")
                }
            }
            let parent = uniqueName("Parent")
            #expect(try await harness.request("/folders", method: "POST", body: Data(#"{"name":"\#(parent)/Child"}"#.utf8)).status == 201)
            let delete = try await harness.request(Paths.folder(parent), method: "DELETE")
            #expect(delete.status == 409, "\(delete.text)")
            #expect(((try? delete.json())?["imap"] as? String)?.contains("children") == true, "\(delete.text)")
        }
    }

    @Test("an upload the client cuts short is answered 400, not 502")
    func uploadCutShort() async throws {
        try await withHarness { harness in
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: harness.port, timeout: .seconds(10))
            defer { stream.close() }
            let credentials = Data("\(DovecotUser.alice.name):\(DovecotUser.alice.password)".utf8).base64EncodedString()
            let head = "POST \(Paths.messages("INBOX")) HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \(credentials)\r\n"
                + "Content-Type: message/rfc822\r\nContent-Length: 5000\r\n\r\nSubject: cut\r\n\r\nonly part of it"
            try await stream.write(Array(head.utf8), timeout: .seconds(10))
            try stream.shutdownWrite()
            var received: [UInt8] = []
            while let bytes = try? await stream.read(maxBytes: 65536, timeout: .seconds(30)), !bytes.isEmpty { received += bytes }
            let status = String(decoding: received.prefix(12), as: UTF8.self)
            #expect(status == "HTTP/1.1 400", "\(String(decoding: received, as: UTF8.self))")
        }
    }
}
