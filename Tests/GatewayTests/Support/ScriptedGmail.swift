import Foundation
import Sockets
import Testing
import TestSupport

/// A loopback IMAP server that answers as Gmail does in Tests/IMAPTests/Fixtures/gmail/fetch-labels.imap
/// (its greeting, capabilities, SELECT and the two FETCH responses with X-GM-LABELS, X-GM-THRID
/// and X-GM-MSGID), for gateway tests over HTTP: no Gmail is reachable from here.
///
/// Each FETCH answer is the transcript's response for that message with what the gateway also
/// asks for (ENVELOPE, BODYSTRUCTURE, the body) added. With `gmail: false` it is a server
/// without X-GM-EXT-1: the capability is left out and any command naming an X-GM item is
/// refused with BAD, as other servers do. Every command line is recorded in `commands`.
final class ScriptedGmail: Sendable {
    let listener: TCPListener
    let loop: Task<Void, Never>
    private let received = LockedValue<[String]>([])
    var port: Int { listener.port }

    /// Command lines as received (literals inlined), in order.
    var commands: [String] { received.withLock { $0 } }

    init(gmail: Bool = true) throws {
        let transcript = try Self.transcript()
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        self.listener = listener
        let received = received
        loop = Task {
            await withDiscardingTaskGroup { group in
                while let stream = try? await listener.accept() {
                    group.addTask {
                        var connection = Connection(stream: stream, transcript: transcript, gmail: gmail) { line in
                            received.withLock { $0.append(line) }
                        }
                        try? await connection.serve()
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

    /// Runs `body` with a server and stops it afterwards, also when `body` throws.
    static func with<T>(gmail: Bool = true, _ body: (ScriptedGmail) async throws -> T) async throws -> T {
        try await withScoped(try ScriptedGmail(gmail: gmail), stop: { await $0.stop() }, body)
    }

    // MARK: The transcript

    struct Transcript: Sendable {
        var greeting: String
        var capability: String
        /// The untagged SELECT answer (FLAGS ... UIDNEXT), CRLF-terminated.
        var select: String
        /// Per UID: the transcript's FETCH items without their parentheses (a literal included).
        var messages: [(uid: Int, sequence: Int, items: String)]
    }

    static func transcript(file: String = #filePath) throws -> Transcript {
        var root = URL(fileURLWithPath: file).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let text = try String(contentsOf: root.appendingPathComponent("Tests/IMAPTests/Fixtures/gmail/fetch-labels.imap"), encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n")
        let select = lines.drop { !$0.hasPrefix("* FLAGS") }.prefix { !$0.hasPrefix("A2 ") }
        // The FETCH answers of A3: between the SELECT's OK and A3's, one of them with a literal.
        let fetches = try #require(text.range(of: "A2 OK").flatMap { a2 in
            text[a2.upperBound...].range(of: "\r\n").flatMap { start in
                text[start.upperBound...].range(of: "A3 OK").map { end in String(text[start.upperBound..<end.lowerBound]) }
            }
        })
        var messages: [(uid: Int, sequence: Int, items: String)] = []
        for chunk in fetches.components(separatedBy: "\r\n* ") where !chunk.isEmpty {
            var response = chunk.hasPrefix("* ") ? String(chunk.dropFirst(2)) : chunk
            // CRLF is one Character in Swift: one removeLast takes both bytes.
            if response.hasSuffix("\r\n") { response.removeLast() }
            let sequence = try #require(Int(response.prefix { $0 != " " }))
            let open = try #require(response.range(of: "FETCH ("))
            let items = String(response[open.upperBound...].dropLast())
            let uid = try #require(items.range(of: "UID ").flatMap { Int(items[$0.upperBound...].prefix { $0.isNumber }) })
            messages.append((uid, sequence, items))
        }
        return Transcript(greeting: lines[0], capability: lines[1], select: select.map { $0 + "\r\n" }.joined(), messages: messages)
    }

    /// The raw message behind each UID (what BODY[] returns), and its parts as BODYSTRUCTURE says.
    static func raw(uid: Int) -> String {
        "From: Ann <ann@example.com>\r\nTo: bob@example.com\r\nSubject: Lunch \(uid)\r\n"
            + "Date: Sun, 6 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m\(uid)@example.com>\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\nSee you at noon.\r\n"
    }

    // MARK: One connection

    struct Connection {
        let stream: SocketStream
        let transcript: Transcript
        let gmail: Bool
        let record: @Sendable (String) -> Void
        var buffer: [UInt8] = []

        init(stream: SocketStream, transcript: Transcript, gmail: Bool, record: @escaping @Sendable (String) -> Void) {
            self.stream = stream; self.transcript = transcript; self.gmail = gmail; self.record = record
        }

        var capability: String {
            gmail ? transcript.capability : transcript.capability.replacingOccurrences(of: " X-GM-EXT-1", with: "")
        }

        mutating func serve() async throws {
            try await send(transcript.greeting + "\r\n")
            while let line = try await readCommand() {
                record(line)
                let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
                guard parts.count >= 2 else { continue }
                let tag = parts[0]
                var verb = parts[1].uppercased()
                var rest = parts.count > 2 ? parts[2] : ""
                if verb == "UID", let space = rest.firstIndex(of: " ") {
                    verb = "UID " + rest[..<space].uppercased()
                    rest = String(rest[rest.index(after: space)...])
                }
                if !gmail && line.uppercased().contains("X-GM-") {
                    try await send("\(tag) BAD Unknown item or search key\r\n")
                    continue
                }
                switch verb {
                case "CAPABILITY": try await send(capability + "\r\n\(tag) OK Success\r\n")
                case "LOGIN", "AUTHENTICATE": try await send("\(tag) OK user@gmail.com authenticated (Success)\r\n")
                case "ID": try await send("* ID (\"name\" \"GImap\" \"vendor\" \"Google, Inc.\")\r\n\(tag) OK Success\r\n")
                case "ENABLE": try await send("* ENABLED\r\n\(tag) OK Success\r\n")
                case "NAMESPACE": try await send("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n\(tag) OK Success\r\n")
                case "LIST": try await send("* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\n\(tag) OK Success\r\n")
                case "SELECT", "EXAMINE":
                    try await send(transcript.select + "\(tag) OK [READ-ONLY] INBOX selected. (Success)\r\n")
                case "UID SEARCH", "SEARCH":
                    // X-GM-RAW finds the second message, anything else both.
                    let found = line.contains("X-GM-RAW") ? "1243" : transcript.messages.map { String($0.uid) }.joined(separator: " ")
                    try await send("* SEARCH \(found)\r\n\(tag) OK SEARCH completed (Success)\r\n")
                case "FETCH", "UID FETCH":
                    let set = rest.prefix { $0 != " " }
                    for message in transcript.messages where verb == "FETCH" || Int(set) == nil || Int(set) == message.uid {
                        // Without X-GM-EXT-1 the transcript's X-GM items are not sent either.
                        let items = gmail ? message.items : "UID \(message.uid) FLAGS ()"
                        try await send("* \(message.sequence) FETCH (\(items)\(Self.extra(uid: message.uid, asked: rest)))\r\n")
                    }
                    try await send("\(tag) OK Success\r\n")
                case "NOOP", "CLOSE", "UNSELECT", "CHECK": try await send("\(tag) OK Success\r\n")
                case "LOGOUT":
                    try await send("* BYE LOGOUT Requested\r\n\(tag) OK 73 good day (Success)\r\n")
                    return
                default: try await send("\(tag) BAD Unknown command\r\n")
                }
            }
        }

        /// The items the gateway asked for beyond the transcript's: envelope, structure, body.
        static func extra(uid: Int, asked: String) -> String {
            let raw = ScriptedGmail.raw(uid: uid)
            var items = ""
            let upper = asked.uppercased()
            if upper.contains("RFC822.SIZE") { items += " RFC822.SIZE \(raw.utf8.count)" }
            if upper.contains("INTERNALDATE") { items += " INTERNALDATE \"06-Dec-2026 10:00:00 +0000\"" }
            if upper.contains("ENVELOPE") {
                items += " ENVELOPE (\"Sun, 6 Dec 2026 10:00:00 +0000\" \"Lunch \(uid)\" ((\"Ann\" NIL \"ann\" \"example.com\"))"
                    + " ((\"Ann\" NIL \"ann\" \"example.com\")) ((\"Ann\" NIL \"ann\" \"example.com\")) ((NIL NIL \"bob\" \"example.com\"))"
                    + " NIL NIL NIL \"<m\(uid)@example.com>\")"
            }
            if upper.contains("BODYSTRUCTURE") { items += " BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 18 1 NIL NIL NIL NIL)" }
            if upper.contains("BODY.PEEK[]") { items += " BODY[] {\(raw.utf8.count)}\r\n\(raw)" }
            return items
        }

        func send(_ text: String) async throws { try await stream.write(Array(text.utf8), timeout: .seconds(5)) }

        /// One command line with its literals inlined (`{n}` is answered with a continuation,
        /// `{n+}` is not); nil at EOF.
        mutating func readCommand() async throws -> String? {
            var command: [UInt8] = []
            while true {
                guard let line = try await readLine() else { return nil }
                command += line
                guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else {
                    return String(decoding: command, as: UTF8.self)
                }
                var count = String(decoding: line[(open + 1)..<(line.count - 1)], as: UTF8.self)
                if count.hasSuffix("+") { count.removeLast() } else { try await send("+ go ahead\r\n") }
                guard let length = Int(count) else { return String(decoding: command, as: UTF8.self) }
                command += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] + (try await readBytes(length))
            }
        }

        mutating func readLine() async throws -> [UInt8]? {
            while true {
                if let end = buffer.firstIndex(of: 10) {
                    let line = Array(buffer[..<end])
                    buffer.removeSubrange(...end)
                    return line.last == 13 ? Array(line.dropLast()) : line
                }
                let bytes = try await stream.read(maxBytes: 4096, timeout: .seconds(30))
                if bytes.isEmpty { return nil }
                buffer += bytes
            }
        }

        mutating func readBytes(_ count: Int) async throws -> [UInt8] {
            while buffer.count < count {
                let bytes = try await stream.read(maxBytes: 4096, timeout: .seconds(30))
                if bytes.isEmpty { break }
                buffer += bytes
            }
            let taken = Array(buffer.prefix(count))
            buffer.removeFirst(taken.count)
            return taken
        }
    }
}
