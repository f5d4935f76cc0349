import Foundation
import Sockets
import Testing
@testable import IMAPClient

/// A one-connection fake IMAP server on a loopback port, for behaviour Dovecot will not show
/// (silence, odd greetings, injected bytes).
struct ScriptedServer {
    let listener: TCPListener
    let task: Task<Void, any Error>
    var port: Int { listener.port }

    init(_ script: @escaping @Sendable (ServerSide) async throws -> Void) throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        self.listener = listener
        task = Task {
            let stream = try await listener.accept()
            defer { stream.close() }
            try await script(ServerSide(stream: stream))
        }
    }

    func configuration(tls: IMAPTLSMode = .none, commandTimeout: Duration = .seconds(5), greetingTimeout: Duration = .seconds(5)) -> IMAPServerConfiguration {
        IMAPServerConfiguration(host: "127.0.0.1", port: port, tlsMode: tls, connectTimeout: .seconds(5), commandTimeout: commandTimeout, greetingTimeout: greetingTimeout)
    }

    func stop() {
        task.cancel()
        listener.close()
    }
}

/// The server's end of the connection.
final class ServerSide: @unchecked Sendable {
    // @unchecked: used by the single task that runs the script.
    let stream: SocketStream
    private var buffer: [UInt8] = []
    init(stream: SocketStream) { self.stream = stream }

    func send(_ text: String) async throws { try await stream.write(Array(text.utf8), timeout: .seconds(5)) }
    func send(_ bytes: [UInt8]) async throws { try await stream.write(bytes, timeout: .seconds(5)) }

    /// The next command line, without CRLF; nil at EOF.
    func readLine() async throws -> String? {
        while true {
            if let end = buffer.firstIndex(of: 10) {
                let line = buffer[..<end]
                buffer.removeSubrange(...end)
                return String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
            }
            let bytes = try await stream.read(maxBytes: 4096, timeout: .seconds(10))
            if bytes.isEmpty { return nil }
            buffer += bytes
        }
    }

    /// Waits until the client closes (so the test, not the server, ends the conversation).
    func drain() async throws {
        while try await readLine() != nil {}
    }
}

@Suite("Client behaviour against a scripted server")
struct ScriptedServerTests {
    let logger = TestServer.quietLogger

    @Test("NUL bytes before the greeting are tolerated; capabilities come from the greeting code")
    func nulBeforeGreeting() async throws {
        let server = try ScriptedServer { side in
            try await side.send([0, 0, 0] + Array("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n".utf8))
            try await side.drain()
        }
        defer { server.stop() }
        let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
        #expect(connection.capabilities == [.imap4rev1, .authPlain, .saslIR])
        connection.close()
    }

    @Test("a BYE greeting is an error carrying the server's text")
    func byeGreeting() async throws {
        let server = try ScriptedServer { side in try await side.send("* BYE [UNAVAILABLE] Too many connections\r\n") }
        defer { server.stop() }
        do {
            _ = try await IMAPConnection.connect(server.configuration(), logger: logger)
            Issue.record("connected despite BYE")
        } catch IMAPError.bye(let text) {
            #expect(text.code == .unavailable)
            #expect(text.text == "Too many connections")
        }
    }

    @Test("no greeting within the deadline times out")
    func greetingTimeout() async throws {
        let server = try ScriptedServer { side in try await side.drain() }
        defer { server.stop() }
        let start = ContinuousClock.now
        do {
            _ = try await IMAPConnection.connect(server.configuration(greetingTimeout: .milliseconds(300)), logger: logger)
            Issue.record("connected without a greeting")
        } catch IMAPError.timedOut(let command) {
            #expect(command == "greeting")
        }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("a command without an answer times out and leaves the connection unusable")
    func commandTimeout() async throws {
        let server = try ScriptedServer { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            try await side.drain()
        }
        defer { server.stop() }
        let connection = try await IMAPConnection.connect(server.configuration(commandTimeout: .milliseconds(300)), logger: logger)
        do {
            try await connection.noop()
            Issue.record("NOOP without an answer succeeded")
        } catch IMAPError.timedOut(let command) {
            #expect(command == "NOOP")
        }
        #expect(!connection.isUsable)
    }

    @Test("an unsolicited BYE and EOF end the session with .bye")
    func byeMidSession() async throws {
        let server = try ScriptedServer { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            _ = try await side.readLine()
            try await side.send("* BYE [UNAVAILABLE] maintenance\r\n")
        }
        defer { server.stop() }
        let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
        do {
            try await connection.noop()
            Issue.record("NOOP succeeded after BYE")
        } catch IMAPError.bye(let text) {
            #expect(text.text == "maintenance")
        }
        #expect(!connection.isUsable)
    }

    @Test("PREAUTH with STARTTLS required is refused")
    func preauthWithStartTLS() async throws {
        let server = try ScriptedServer { side in
            try await side.send("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n")
            try await side.drain()
        }
        defer { server.stop() }
        await #expect(throws: IMAPError.self) { _ = try await IMAPConnection.connect(server.configuration(tls: .startTLS), logger: logger) }
    }

    @Test("bytes injected after the STARTTLS OK are refused")
    func startTLSInjection() async throws {
        let server = try ScriptedServer { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
            let line = try await side.readLine()
            try await side.send("\(line?.split(separator: " ").first ?? "A1") OK Begin TLS\r\n* 1 EXISTS\r\n")
            try await side.drain()
        }
        defer { server.stop() }
        do {
            _ = try await IMAPConnection.connect(server.configuration(tls: .startTLS), logger: logger)
            Issue.record("accepted bytes sent in clear after STARTTLS")
        } catch IMAPError.protocolViolation(let message) {
            #expect(message.contains("STARTTLS"))
        }
    }

    @Test("a synchronizing literal waits for + and a NO instead of + ends the command cleanly")
    func literalRefused() async throws {
        let server = try ScriptedServer { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            // LOGIN with an 8-bit password: the password goes as a literal.
            let login = try #require(try await side.readLine())
            let tag = login.split(separator: " ").first.map(String.init) ?? "?"
            #expect(login.hasSuffix("{6}"), "got \(login)")
            try await side.send("\(tag) NO [AUTHENTICATIONFAILED] not today\r\n")
            let next = try await side.readLine()
            #expect(next?.hasSuffix("NOOP") == true, "the literal must not be sent after NO, got \(next ?? "EOF")")
            try await side.send("\(next?.split(separator: " ").first ?? "?") OK done\r\n")
            try await side.drain()
        }
        defer { server.stop() }
        let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
        await #expect(throws: IMAPError.self) { try await connection.authenticate(.password(user: "u", password: "pässw")) }
        try await connection.noop()
        connection.close()
        try await server.task.value
    }
}
