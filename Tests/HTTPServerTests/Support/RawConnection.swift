import Foundation
import Sockets
import HTTPServer

/// A response as read off the wire by the test client.
struct RawResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

enum RawClientError: Error {
    case closedEarly(buffered: String)
    case malformed(String)
}

/// A deliberately dumb HTTP client over a real socket: writes whatever bytes a test gives it
/// (malformed ones too) and reads responses with just enough parsing to check them.
final class RawConnection {
    let stream: SocketStream
    private var buffer: [UInt8] = []
    static let timeout: Duration = .seconds(10)

    init(port: Int) async throws {
        stream = try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: Self.timeout)
    }

    deinit { stream.close() }

    func send(_ text: String) async throws {
        try await stream.write(Array(text.utf8), timeout: Self.timeout)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await stream.write(bytes, timeout: Self.timeout)
    }

    /// Reads one response. `forHead` means no body follows whatever the headers say.
    func readResponse(forHead: Bool = false, timeout: Duration = timeout) async throws -> RawResponse {
        let headEnd = try await fill(until: { $0.firstRange(of: [13, 10, 13, 10]).map(\.upperBound) }, timeout: timeout)
        let headText = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw RawClientError.malformed(statusLine)
        }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw RawClientError.malformed(line) }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        var body: [UInt8] = []
        if forHead || (100..<200).contains(status) || status == 204 || status == 304 {
            // no body
        } else if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            while true {
                let lineEnd = try await fill(until: { $0.firstRange(of: [13, 10]).map(\.upperBound) }, timeout: timeout)
                let sizeText = String(decoding: buffer[..<(lineEnd - 2)], as: UTF8.self)
                buffer.removeFirst(lineEnd)
                guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else { throw RawClientError.malformed(sizeText) }
                if size == 0 {
                    _ = try await fill(until: { $0.count >= 2 ? 2 : nil }, timeout: timeout)
                    buffer.removeFirst(2)
                    break
                }
                _ = try await fill(until: { $0.count >= size + 2 ? size + 2 : nil }, timeout: timeout)
                body += buffer[..<size]
                buffer.removeFirst(size + 2)
            }
        } else if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            _ = try await fill(until: { $0.count >= length ? length : nil }, timeout: timeout)
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            body = buffer + (try await readToEnd(timeout: timeout))
            buffer = []
        }
        return RawResponse(status: status, headers: headers, body: body)
    }

    /// Reads until the server closes; returns what came.
    func readToEnd(timeout: Duration = timeout) async throws -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let bytes = try await stream.read(maxBytes: 65536, timeout: timeout)
            if bytes.isEmpty { return all }
            all += bytes
        }
    }

    /// Whether the server closed the connection (EOF or reset) with nothing more to say.
    func isClosedByServer(timeout: Duration = timeout) async -> Bool {
        guard buffer.isEmpty else { return false }
        do {
            return try await stream.read(maxBytes: 1, timeout: timeout).isEmpty
        } catch SocketError.disconnected {
            return true
        } catch {
            return false
        }
    }

    /// Reads more until `complete` returns how many buffered bytes make the wanted unit.
    private func fill(until complete: ([UInt8]) -> Int?, timeout: Duration) async throws -> Int {
        while true {
            if let end = complete(buffer) { return end }
            let bytes = try await stream.read(maxBytes: 65536, timeout: timeout)
            guard !bytes.isEmpty else { throw RawClientError.closedEarly(buffered: String(decoding: buffer, as: UTF8.self)) }
            buffer += bytes
        }
    }
}

extension Array where Element == UInt8 {
    func firstRange(of pattern: [UInt8]) -> Range<Int>? {
        guard count >= pattern.count else { return nil }
        for start in 0...(count - pattern.count) where self[start..<(start + pattern.count)].elementsEqual(pattern) {
            return start..<(start + pattern.count)
        }
        return nil
    }
}
