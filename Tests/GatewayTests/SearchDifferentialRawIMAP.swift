import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately minimal IMAP client for the differential search test: it sends hand-written
/// command text, so it shares no code with the IMAP module it checks.
///
/// The socket is non-blocking; waits for readiness go through a `DispatchSource` with a deadline,
/// so no thread ever sits in a blocking read.
final class RawIMAPSession: @unchecked Sendable {
    // @unchecked: `buffer`, `nextTag` and the descriptor are only used by one test task at a
    // time (the session is not shared); readiness callbacks touch nothing but their continuation.

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Part of a command: verbatim IMAP text, or a string sent as a synchronizing literal.
    enum Part {
        case text(String)
        case literal(String)
    }

    private let fd: Int32
    private let queue = DispatchQueue(label: "raw-imap")
    private var buffer: [UInt8] = []
    private var nextTag = 1
    private let timeout: Duration = .seconds(20)

    /// Every line the server sent, for failure messages.
    private(set) var transcript: [String] = []

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Connects to 127.0.0.1:`port` and reads the greeting.
    static func connect(port: Int) async throws -> RawIMAPSession {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        let session = RawIMAPSession(fd: fd)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            guard errno == EINPROGRESS else { throw Failure(description: "connect: \(String(cString: strerror(errno)))") }
            try await session.waitUntil(writable: true)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { throw Failure(description: "connect: \(String(cString: strerror(error)))") }
        }
        let greeting = try await session.readLine()
        guard greeting.hasPrefix("* OK") else { throw Failure(description: "unexpected greeting: \(greeting)") }
        return session
    }

    /// `LOGIN` with both arguments as quoted strings (backslash and quote escaped).
    func login(user: String, password: String) async throws {
        _ = try await command([.text("LOGIN \(Self.quoted(user)) \(Self.quoted(password))")])
    }

    /// Runs `UID SEARCH CHARSET UTF-8 <criteria>` and returns the UIDs of its `* SEARCH` lines.
    func uidSearch(_ criteria: [Part]) async throws -> [UInt32] {
        let lines = try await command([.text("UID SEARCH CHARSET UTF-8 ")] + criteria)
        var uids: [UInt32] = []
        for line in lines where line.uppercased().hasPrefix("* SEARCH") {
            for word in line.dropFirst("* SEARCH".count).split(separator: " ") {
                guard let uid = UInt32(word) else { throw Failure(description: "bad SEARCH line: \(line)") }
                uids.append(uid)
            }
        }
        return uids.sorted()
    }

    /// Sends one tagged command, literals synchronizing (`{n}`, then wait for `+`); returns the
    /// untagged lines once the tagged OK arrives, throws on NO/BAD.
    @discardableResult
    func command(_ parts: [Part]) async throws -> [String] {
        let tag = "R\(nextTag)"
        nextTag += 1
        var pending = Array("\(tag) ".utf8)
        var untagged: [String] = []
        for part in parts {
            switch part {
            case .text(let text):
                pending += Array(text.utf8)
            case .literal(let text):
                let bytes = Array(text.utf8)
                pending += Array("{\(bytes.count)}\r\n".utf8)
                try await write(pending)
                pending = bytes
                while true {
                    let line = try await readLine()
                    if line.hasPrefix("+") { break }
                    if line.hasPrefix(tag + " ") { throw Failure(description: "literal refused: \(line)") }
                    untagged.append(line)
                }
            }
        }
        try await write(pending + [13, 10])
        while true {
            let line = try await readLine()
            if line.hasPrefix(tag + " ") {
                guard line.dropFirst(tag.count + 1).uppercased().hasPrefix("OK") else {
                    throw Failure(description: "command failed: \(line)")
                }
                return untagged
            }
            untagged.append(line)
        }
    }

    func logout() async {
        _ = try? await command([.text("LOGOUT")])
    }

    /// RFC 3501 quoted string; only for ASCII without CR/LF (literals carry everything else).
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: - Bytes

    private func readLine() async throws -> String {
        while true {
            if let end = buffer.firstIndex(of: 10) {
                var line = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                if line.last == 13 { line.removeLast() }
                let text = String(decoding: line, as: UTF8.self)
                transcript.append(text)
                return text
            }
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[0..<count]
            } else if count == 0 {
                throw Failure(description: "server closed the connection; last lines: \(transcript.suffix(3))")
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try await waitUntil(writable: false)
            } else {
                throw Failure(description: "read: \(String(cString: strerror(errno)))")
            }
        }
    }

    private func write(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                offset += count
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                try await waitUntil(writable: true)
            } else {
                throw Failure(description: "write: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Suspends until the socket is readable (or writable), or throws when `timeout` passes first.
    private func waitUntil(writable: Bool) async throws {
        let readiness = Readiness(
            writable
                ? DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
                : DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue))
        let timeout = self.timeout
        let recent = transcript.suffix(3)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            readiness.source.setEventHandler {
                if readiness.claim() { continuation.resume() }
            }
            queue.asyncAfter(deadline: .now() + .seconds(Int(timeout.components.seconds))) {
                if readiness.claim() {
                    continuation.resume(throwing: Failure(description: "no answer within \(timeout); last lines: \(recent)"))
                }
            }
            readiness.source.resume()
        }
    }

    /// One wait: whoever claims first (readiness or timeout) cancels the source and resumes.
    private final class Readiness: @unchecked Sendable {
        // @unchecked: `claimed` and `source` are only touched from the serial `queue` (handlers
        // run there) and, before the source is resumed, from the creating task.
        let source: any DispatchSourceProtocol
        private var claimed = false

        init(_ source: any DispatchSourceProtocol) { self.source = source }

        func claim() -> Bool {
            guard !claimed else { return false }
            claimed = true
            source.cancel()
            return true
        }
    }
}
