import Foundation
import Sockets
import Testing
@testable import IMAPClient

/// Servers that misbehave on purpose: each must end in a typed error within the configured
/// deadline, however the server spreads its bytes out (issue 13: deadlines bound the whole
/// exchange, not each read).
@Suite("Client deadlines against misbehaving servers")
struct MisbehavingServerTests {
    let logger = TestServer.quietLogger

    /// Sends `text` one byte every `interval` until the task is cancelled or the peer leaves.
    static func drip(_ text: String, every interval: Duration, on side: ServerSide) async throws {
        for byte in Array(text.utf8) {
            try await side.send([byte])
            try await Task.sleep(for: interval)
        }
    }

    @Test("a greeting dripped a byte at a time times out after the greeting timeout, not per byte")
    func drippedGreeting() async throws {
        try await withScriptedServer(script: { side in
            try await Self.drip("* OK [CAPABILITY IMAP4rev1] a greeting that takes ten seconds to arrive\r\n",
                                every: .milliseconds(150), on: side)
            try await side.drain()
        }) { server in
            let start = ContinuousClock.now
            do {
                _ = try await IMAPConnection.connect(server.configuration(greetingTimeout: .milliseconds(800)), logger: logger)
                Issue.record("connected although the greeting took far longer than its timeout")
            } catch IMAPError.timedOut(let command) {
                #expect(command == "greeting")
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(700) && elapsed < .seconds(3), "took \(elapsed)")
        }
    }

    @Test("a command answer dripped a byte at a time times out after the command timeout")
    func drippedAnswer() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            let line = try #require(try await side.readLine())
            let tag = line.prefix { $0 != " " }
            try await Self.drip("* 1 EXISTS\r\n* 2 EXISTS\r\n* 3 EXISTS\r\n\(tag) OK NOOP done slowly\r\n",
                                every: .milliseconds(100), on: side)
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(commandTimeout: .milliseconds(800)), logger: logger)
            let start = ContinuousClock.now
            do {
                try await connection.noop()
                Issue.record("NOOP succeeded though its answer took about 6 s")
            } catch IMAPError.timedOut(let command) {
                #expect(command == "NOOP")
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(700) && elapsed < .seconds(3), "took \(elapsed)")
            #expect(!connection.isUsable)
        }
    }

    @Test("an answer that flows steadily past the command timeout is not cut off")
    func steadyLargeAnswer() async throws {
        // 4 MiB of literal in 16 pieces over ~1.6 s against a 1 s timeout: progress earns time.
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 256 * 1024)
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            let line = try #require(try await side.readLine())
            let tag = line.prefix { $0 != " " }
            try await side.send("* 1 FETCH (UID 7 BODY[] {\(piece.count * 16)}\r\n")
            for _ in 0..<16 {
                try await side.send(piece)
                try await Task.sleep(for: .milliseconds(100))
            }
            try await side.send(")\r\n\(tag) OK FETCH done\r\n")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(commandTimeout: .seconds(1)), logger: logger)
            let responses = try await connection.uidFetch(UIDSet([UID(7)]), [.bodyPeek(section: "", partial: nil)])
            #expect(responses.count == 1)
            #expect(connection.isUsable)
        }
    }

    @Test("an endless line is cut off by the line limit, not read forever")
    func endlessLine() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            _ = try await side.readLine()
            let chunk = Array("* OK ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
            for _ in 0..<64 { try await side.send(chunk) }
            try await side.drain()
        }) { server in
            var configuration = server.configuration(commandTimeout: .seconds(5))
            configuration.parserLimits = ParserLimits(maxLineLength: 256 * 1024)
            let connection = try await IMAPConnection.connect(configuration, logger: logger)
            let start = ContinuousClock.now
            await #expect(throws: IMAPError.self) { try await connection.noop() }
            #expect(ContinuousClock.now - start < .seconds(4))
            #expect(!connection.isUsable)
        }
    }

    @Test("a literal announced larger than the limit ends the connection at once")
    func hugeLiteral() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            _ = try await side.readLine()
            try await side.send("* 1 FETCH (UID 1 BODY[] {9999999999}\r\nabc")
            try await side.drain()
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(commandTimeout: .seconds(5)), logger: logger)
            let start = ContinuousClock.now
            do {
                try await connection.noop()
                Issue.record("a 10 GB literal was accepted")
            } catch IMAPError.parse {
            }
            #expect(ContinuousClock.now - start < .seconds(2))
            #expect(!connection.isUsable)
        }
    }

    @Test("BYE in the middle of a command's answer ends it with .bye and the server's text")
    func byeMidCommand() async throws {
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            _ = try await side.readLine()
            try await side.send("* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n* BYE Server shutting down\r\n")
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(commandTimeout: .seconds(5)), logger: logger)
            do {
                _ = try await connection.uidFetch(UIDSet([UID(1)]), [.flags])
                Issue.record("FETCH succeeded after BYE")
            } catch IMAPError.bye(let text) {
                #expect(text.text == "Server shutting down")
            }
            #expect(!connection.isUsable)
        }
    }
}

@Suite("ID before login")
struct IdentifyTests {
    @Test("the client's address goes in ID before LOGIN when the server offers ID, and not at all when it does not")
    func originatingAddress() async throws {
        let lines = Protected<[String]>([])
        try await withScriptedServer(script: { side in
            try await side.send("* OK [CAPABILITY IMAP4rev1 ID] ready\r\n")
            while let line = try await side.readLine() {
                lines.withLock { $0.append(line) }
                let tag = line.prefix { $0 != " " }
                if line.contains(" ID ") { try await side.send("* ID NIL\r\n\(tag) OK ID completed\r\n") }
                if line.contains(" LOGIN ") { try await side.send("\(tag) OK [CAPABILITY IMAP4rev1 ID] Logged in\r\n") }
            }
        }) { server in
            let connection = try await IMAPConnection.connect(server.configuration(), logger: TestServer.quietLogger)
            #expect(try await connection.identify(originatingAddress: "203.0.113.9"))
            try await connection.authenticate(.password(user: "ann", password: "secret"))
            connection.close()
            let sent = lines.withLock { $0 }
            #expect(sent.count == 2)
            #expect(sent.first?.hasSuffix(#"ID ("x-originating-ip" "203.0.113.9")"#) == true, "\(sent)")
            #expect(sent.last?.contains("LOGIN") == true)

            try await withScriptedServer(script: { side in
                try await side.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
                try await side.drain()
            }) { plain in
                let other = try await IMAPConnection.connect(plain.configuration(), logger: TestServer.quietLogger)
                #expect(try await other.identify(originatingAddress: "203.0.113.9") == false)
                other.close()
            }
        }
    }
}
