import Foundation
import Sockets
import Testing
import TestSupport
@testable import IMAPClient

/// Runs `body` with a scripted server and returns only after the script's task has ended (it is
/// cancelled and its listener closed first), also when `body` throws.
@discardableResult
func withScriptedServer<T>(
    script: @escaping @Sendable (ServerSide) async throws -> Void, _ body: (ScriptedServer) async throws -> T
) async throws -> T {
    try await withScoped(try ScriptedServer(script), stop: { await $0.stopAndWait() }, body)
}

/// A one-connection fake IMAP server on a loopback port, for behaviour Dovecot will not show
/// (silence, odd greetings, injected bytes). Tests use `withScriptedServer(script:) { server in ... }`.
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

    /// Stops, then waits until the script's task has ended (its error, a cancellation most
    /// likely, is of no interest then).
    func stopAndWait() async {
        stop()
        _ = await task.result
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
        try await withScriptedServer(script: { side in
            try await side.send([0, 0, 0] + Array("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n".utf8))
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            #expect(connection.capabilities == [.imap4rev1, .authPlain, .saslIR])
            connection.close()
        }
    }

    @Test("a BYE greeting is an error carrying the server's text")
    func byeGreeting() async throws {
        try await withScriptedServer(script: { side in try await side.send("* BYE [UNAVAILABLE] Too many connections\r\n") }) { server in
            do {
                _ = try await IMAPConnection.connect(server.configuration(), logger: logger)
                Issue.record("connected despite BYE")
            } catch IMAPError.bye(let text) {
                #expect(text.code == .unavailable)
                #expect(text.text == "Too many connections")
            }
        }
    }

    @Test("no greeting within the deadline times out")
    func greetingTimeout() async throws {
        try await withScriptedServer(script: { side in try await side.drain() }) { server in
            let start = ContinuousClock.now
            do {
                _ = try await IMAPConnection.connect(server.configuration(greetingTimeout: .milliseconds(300)), logger: logger)
                Issue.record("connected without a greeting")
            } catch IMAPError.timedOut(let command) {
                #expect(command == "greeting")
            }
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test("a command without an answer times out and leaves the connection unusable")
    func commandTimeout() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(commandTimeout: .milliseconds(300)), logger: logger)
            do {
                try await connection.noop()
                Issue.record("NOOP without an answer succeeded")
            } catch IMAPError.timedOut(let command) {
                #expect(command == "NOOP")
            }
            #expect(!connection.isUsable)
        }
    }

    @Test("IDLE cancelled before the server's + still ends with DONE, and the session stays usable")
    func idleCancelledBeforeContinuation() async throws {
        let sawDone = Protected(false)
        let sawIdle = Protected(false)
        let cancelled = Protected(false)
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n")
            let idle = try #require(try await side.readLine())
            sawIdle.withLock { $0 = true }
            let tag = String(idle.prefix { $0 != " " })
            // A slow server: the `+` comes only once the client was cancelled waiting for it.
            _ = await eventually(timeout: .seconds(10)) { cancelled.withLock { $0 } }
            try await side.send("+ idling\r\n")
            guard try await side.readLine() == "DONE" else { return }
            sawDone.withLock { $0 = true }
            try await side.send("\(tag) OK Idle completed\r\n")
            let noop = try #require(try await side.readLine())
            try await side.send("\(noop.prefix { $0 != " " }) OK NOOP completed\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            let idling = Task { try await connection.idle(until: .now + .seconds(60)) { _ in } }
            #expect(await eventually(timeout: .seconds(10)) { sawIdle.withLock { $0 } })
            idling.cancel()
            cancelled.withLock { $0 = true }
            try await idling.value
            #expect(sawDone.withLock { $0 })
            #expect(connection.isUsable)
            try await connection.noop()
        }
    }

    @Test("IDLE cancelled while DONE's answer is awaited (its deadline passed just as a change cancelled it) still reads that answer")
    func idleCancelledAfterDone() async throws {
        let sawDone = Protected(false)
        let cancelled = Protected(false)
        let noopTag = Protected<String?>(nil)
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n")
            let idle = try #require(try await side.readLine())
            let tag = String(idle.prefix { $0 != " " })
            try await side.send("+ idling\r\n")
            guard try await side.readLine() == "DONE" else { return }
            sawDone.withLock { $0 = true }
            // A slow server: IDLE's OK comes only once the client was cancelled waiting for it.
            _ = await eventually(timeout: .seconds(10)) { cancelled.withLock { $0 } }
            try await side.send("\(tag) OK Idle completed\r\n")
            let noop = try #require(try await side.readLine())
            noopTag.withLock { $0 = String(noop.prefix { $0 != " " }) }
            try await side.send("\(noop.prefix { $0 != " " }) OK NOOP completed\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            // The round's deadline passes at once: the client sends DONE by itself.
            let idling = Task { try await connection.idle(until: .now + .milliseconds(20)) { _ in } }
            #expect(await eventually(timeout: .seconds(10)) { sawDone.withLock { $0 } })
            idling.cancel()
            cancelled.withLock { $0 = true }
            // A cancelled IDLE returns normally, with its OK read: the next command is not
            // answered by IDLE's leftover OK.
            try await idling.value
            #expect(connection.isUsable)
            try await connection.noop()
            #expect(noopTag.withLock { $0 } != nil)
        }
    }

    @Test("an unsolicited BYE and EOF end the session with .bye")
    func byeMidSession() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            _ = try await side.readLine()
            try await side.send("* BYE [UNAVAILABLE] maintenance\r\n")
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            do {
                try await connection.noop()
                Issue.record("NOOP succeeded after BYE")
            } catch IMAPError.bye(let text) {
                #expect(text.text == "maintenance")
            }
            #expect(!connection.isUsable)
        }
    }

    @Test("PREAUTH with STARTTLS required is refused")
    func preauthWithStartTLS() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n")
            try await side.drain()
        }) { server in
            await #expect(throws: IMAPError.self) { _ = try await IMAPConnection.connect(server.configuration(tls: .startTLS), logger: logger) }
        }
    }

    @Test("bytes injected after the STARTTLS OK are refused")
    func startTLSInjection() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
            let line = try await side.readLine()
            try await side.send("\(line?.split(separator: " ").first ?? "A1") OK Begin TLS\r\n* 1 EXISTS\r\n")
            try await side.drain()
        }) { server in
            do {
                _ = try await IMAPConnection.connect(server.configuration(tls: .startTLS), logger: logger)
                Issue.record("accepted bytes sent in clear after STARTTLS")
            } catch IMAPError.protocolViolation(let message) {
                #expect(message.contains("STARTTLS"))
            }
        }
    }

    @Test("a synchronizing literal waits for + and a NO instead of + ends the command cleanly")
    func literalRefused() async throws {
        try await withScriptedServer(script: { side in
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
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            await #expect(throws: IMAPError.self) { try await connection.authenticate(.password(user: "u", password: "pässw")) }
            try await connection.noop()
            connection.close()
            try await server.task.value
        }
    }

    @Test("an unreadable greeting is reported at once, not waited out")
    func unreadableGreeting() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("Server Unavailable. 15\r\n")
            try await side.drain()
        }) { server in
            await #expect(throws: IMAPError.self) { _ = try await IMAPConnection.connect(server.configuration(greetingTimeout: .seconds(30)), logger: logger) }
        }
    }

    @Test("LIST RETURN (SPECIAL-USE) answered with BAD falls back to plain LIST and LSUB (ProtonMail Bridge)")
    func listFallback() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 SPECIAL-USE] ready\r\n")
            var line = try #require(try await side.readLine())
            #expect(line.hasSuffix("LIST \"\" \"*\" RETURN (SPECIAL-USE)"), "got \(line)")
            try await side.send("\(line.split(separator: " ")[0]) BAD unknown option\r\n")
            line = try #require(try await side.readLine())
            #expect(line.hasSuffix("LIST \"\" \"*\""), "got \(line)")
            try await side.send("* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LIST (\\HasNoChildren \\Trash) \"/\" \"Papierkorb\"\r\n")
            try await side.send("* LIST (\\Noselect) \"/\" \"R&AOk-pertoire\"\r\n\(line.split(separator: " ")[0]) OK done\r\n")
            line = try #require(try await side.readLine())
            #expect(line.hasSuffix("LSUB \"\" \"*\""), "got \(line)")
            try await side.send("* LSUB () \"/\" \"Papierkorb\"\r\n\(line.split(separator: " ")[0]) OK done\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            let listing = try await connection.list()
            #expect(listing.map(\.name.displayName) == ["INBOX", "Papierkorb", "Répertoire"])
            #expect(listing.map(\.specialUse) == [.inbox, .trash, nil])
            #expect(listing.map(\.subscribed) == [false, true, false])
            #expect(listing.map(\.selectable) == [true, true, false])
            connection.close()
            try await server.task.value
        }
    }

    @Test("mailbox changes reach the observer, whichever command they arrive with")
    func observer() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            let line = try #require(try await side.readLine())
            try await side.send("* 3 EXISTS\r\n* 1 EXPUNGE\r\n* 2 FETCH (FLAGS (\\Seen) UID 9)\r\n* 1 RECENT\r\n\(line.split(separator: " ")[0]) OK done\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: logger)
            let events = EventLog()
            connection.observeMailboxChanges { events.add($0) }
            try await connection.noop()
            #expect(events.all.count == 3)
            #expect(events.all.first == .exists(3))
            connection.close()
        }
    }
}
