import Foundation
import Sockets
import TestSupport

/// A Server-Sent Events reader over a real socket: sends one GET, reads the head, then decodes
/// the chunked body into frames. Every read has a deadline, so a missing event fails the test
/// instead of hanging it. Used from one task only.
final class SSEClient {
    enum Frame: Equatable {
        case event(name: String, data: String)
        case comment(String)
    }

    enum Failure: Error, CustomStringConvertible {
        case noHead(String), timedOut(String), badChunk(String)
        var description: String {
            switch self {
            case .noHead(let text): "no HTTP head: \(text)"
            case .timedOut(let what): "timed out waiting for \(what)"
            case .badChunk(let text): "bad chunked framing: \(text)"
            }
        }
    }

    let status: Int
    /// Lower-cased names.
    let headers: [String: String]
    private let stream: SocketStream
    /// Bytes after the head not yet de-chunked.
    private var wire: [UInt8]
    /// De-chunked body bytes not yet cut into frames.
    private var body: [UInt8] = []
    /// The last chunk came, or the peer closed.
    private(set) var ended = false
    /// The latest `id:` seen, as `EventSource` would send it back in `Last-Event-ID`.
    private(set) var lastEventID: String?

    private init(stream: SocketStream, status: Int, headers: [String: String], rest: [UInt8]) {
        self.stream = stream
        self.status = status
        self.headers = headers
        wire = rest
    }

    /// Connects and sends `GET path`; returns once the response head is in.
    static func open(port: Int, _ path: String, user: DovecotUser? = .alice, headers extra: [String: String] = [:],
                     timeout: Duration = .seconds(60)) async throws -> SSEClient {
        let deadline = ContinuousClock.now + timeout
        let stream = try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        if let user {
            head += "Authorization: Basic \(Data("\(user.name):\(user.password)".utf8).base64EncodedString())\r\n"
        }
        for (name, value) in extra { head += "\(name): \(value)\r\n" }
        try await stream.write(Array((head + "\r\n").utf8))
        var received: [UInt8] = []
        while true {
            if let end = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                let lines = String(decoding: received[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                let parts = lines.first?.split(separator: " ") ?? []
                guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure.noHead(lines.first ?? "") }
                var fields: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return SSEClient(stream: stream, status: status, headers: fields, rest: Array(received[end.upperBound...]))
            }
            let left = deadline - .now
            guard left > .zero else {
                stream.close()
                throw Failure.timedOut("the response head")
            }
            let chunk = try await stream.read(timeout: left)
            if chunk.isEmpty {
                stream.close()
                throw Failure.noHead(String(decoding: received, as: UTF8.self))
            }
            received += chunk
        }
    }

    func close() { stream.close() }

    /// The next frame (event or comment), nil when the body ended; throws past `timeout`.
    func nextFrame(timeout: Duration = .seconds(30)) async throws -> Frame? {
        let deadline = ContinuousClock.now + timeout
        while true {
            // Bytes may have come with the head or with an earlier read.
            try dechunk()
            if let frame = takeFrame() { return frame }
            if ended { return nil }
            let left = deadline - .now
            guard left > .zero else { throw Failure.timedOut("an SSE frame") }
            let chunk: [UInt8]
            do {
                chunk = try await stream.read(timeout: left)
            } catch SocketError.timedOut {
                throw Failure.timedOut("an SSE frame")
            } catch SocketError.disconnected {
                ended = true
                continue
            }
            if chunk.isEmpty { ended = true }
            wire += chunk
        }
    }

    /// The next event called `name`, skipping comments and other events.
    func next(_ name: String, timeout: Duration = .seconds(30)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - .now
            guard left > .zero else { throw Failure.timedOut("event \(name)") }
            guard let frame = try await nextFrame(timeout: left) else { throw Failure.timedOut("event \(name) (stream ended)") }
            if case .event(name, let data) = frame {
                return try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] ?? [:]
            }
        }
    }

    /// Reads until the body ends; false if it did not within `timeout`.
    func waitForEnd(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !ended {
            let left = deadline - .now
            guard left > .zero else { return false }
            do {
                if try await nextFrame(timeout: left) == nil { return true }
            } catch {
                // A reset connection ends the stream too; a timeout is the failure.
                if case Failure.timedOut = error { return false }
                return true
            }
        }
        return true
    }

    /// Moves complete chunks from `wire` to `body`.
    private func dechunk() throws {
        while let lineEnd = wire.firstRange(of: Array("\r\n".utf8)) {
            let sizeText = String(decoding: wire[..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { throw Failure.badChunk(sizeText) }
            let start = lineEnd.upperBound
            guard wire.count >= start + size + 2 else { return }
            if size == 0 {
                ended = true
                wire.removeAll()
                return
            }
            body += wire[start..<(start + size)]
            wire.removeFirst(start + size + 2)
        }
    }

    /// One frame off the front of `body`, if a whole one is there.
    private func takeFrame() -> Frame? {
        guard let end = body.firstRange(of: Array("\n\n".utf8)) else { return nil }
        let text = String(decoding: body[..<end.lowerBound], as: UTF8.self)
        body.removeFirst(end.upperBound)
        var name = "message", data: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { return .comment(line.dropFirst().trimmingCharacters(in: .whitespaces)) }
            if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
            if line.hasPrefix("id: ") { lastEventID = String(line.dropFirst(4)) }
        }
        return .event(name: name, data: data.joined(separator: "\n"))
    }
}
