import Foundation
import Sockets
import TestSupport

/// A one-request HTTP/1.1 client on the project's own sockets, for answers URLSession on Linux
/// cannot deliver: a 401 with `WWW-Authenticate` makes it wait forever for credentials
/// (swift-corelibs-foundation #5456, fixed after 6.3.1).
enum RawHTTP {
    static func request(port: Int, _ path: String, method: String = "GET", user: DovecotUser? = nil,
                        headers: [String: String] = [:], body: String = "") async throws -> HTTPResult {
        let stream = try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        defer { stream.close() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let user {
            head += "Authorization: Basic \(Data("\(user.name):\(user.password)".utf8).base64EncodedString())\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await stream.write(Array((head + "\r\n" + body).utf8))
        var received: [UInt8] = []
        // One deadline for the whole answer, not per read: an event stream answered 200 sends a
        // heartbeat every few hundred milliseconds and would otherwise keep this loop going forever.
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            guard ContinuousClock.now < deadline else { throw HarnessError.unfinished(path) }
            let chunk = try await stream.read(timeout: .seconds(30))
            if chunk.isEmpty { break }
            received += chunk
        }
        guard let end = received.firstRange(of: Array("\r\n\r\n".utf8)) else { throw HarnessError.notHTTP }
        let lines = String(decoding: received[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HarnessError.notHTTP }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        // Problem documents carry Content-Length; that is all these tests read this way.
        return HTTPResult(status: status, headers: fields, body: Data(received[end.upperBound...]))
    }
}
