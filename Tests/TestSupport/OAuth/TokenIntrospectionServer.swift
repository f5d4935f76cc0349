import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small OAuth 2.0 token introspection endpoint (RFC 7662) on a free loopback port, for a
/// Dovecot started with `oauth2IntrospectionURL`: Dovecot POSTs `token=...` and gets
/// `{"active": true, "username": ...}` for a token granted here, `{"active": false}` otherwise.
///
/// It plays the provider: tests grant, expire and revoke tokens and count how often Dovecot
/// asked, which is how often a login with a token happened.
public final class TokenIntrospectionServer: @unchecked Sendable {
    // @unchecked: `grants`, `asked` and `stopping` are only touched with `lock` held; the
    // listening descriptor is set once in init and closed by the serving thread only.

    /// The URL to give Dovecot.
    public var url: String { "http://127.0.0.1:\(port)/introspect" }
    public let port: Int

    private let lock = NSLock()
    private var grants: [String: String] = [:]
    private var asked: [String: Int] = [:]
    private var stopping = false
    private let listener: Int32
    private let finished = DispatchSemaphore(value: 0)

    /// Listens on a free loopback port and serves on a thread of its own until `stop()`.
    public static func start() throws -> TokenIntrospectionServer {
        let server = try TokenIntrospectionServer()
        let thread = Thread { server.serve() }
        thread.name = "token-introspection"
        thread.start()
        return server
    }

    private init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DovecotError.launchFailed("introspection socket: \(String(cString: strerror(errno)))") }
        var address = LoopbackAddress.make(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw DovecotError.launchFailed("introspection bind/listen: \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
    }

    /// `token` is valid for `user` from now on.
    public func grant(_ token: String, user: String) { lock.withLock { grants[token] = user } }

    /// `token` is no longer valid (expired or revoked): introspection answers `active: false`.
    public func revoke(_ token: String) { _ = lock.withLock { grants.removeValue(forKey: token) } }

    /// How often Dovecot asked about `token` (once per login attempt with it: the test Dovecot
    /// runs with `auth_cache_size = 0`).
    public func lookups(of token: String) -> Int { lock.withLock { asked[token, default: 0] } }

    /// How often Dovecot asked at all.
    public var totalLookups: Int { lock.withLock { asked.values.reduce(0, +) } }

    /// Stops serving and closes the port; returns once the thread has ended. Idempotent.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopping = true }
            return !stopping
        }
        if first { finished.wait() }
    }

    deinit { stop() }

    // MARK: - Serving

    private func serve() {
        defer {
            close(listener)
            finished.signal()
        }
        while !lock.withLock({ stopping }) {
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            answer(client)
            close(client)
        }
    }

    /// Reads one request (head and `Content-Length` body, 5 s at most) and answers it; the
    /// connection closes after it, which Dovecot's HTTP client handles.
    private func answer(_ client: Int32) {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(5)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            if let request = Self.complete(received) {
                respond(client, to: request)
                return
            }
            var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) >= 0 else { return }
            guard descriptor.revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            received += buffer[0..<count]
        }
    }

    /// The body of a complete request, or nil while bytes are missing.
    private static func complete(_ bytes: [UInt8]) -> String? {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).lowercased()
        let length = head.components(separatedBy: "\r\n")
            .first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        let body = bytes[end.upperBound...]
        guard body.count >= length else { return nil }
        return String(decoding: body.prefix(length), as: UTF8.self)
    }

    private func respond(_ client: Int32, to body: String) {
        var token = ""
        for pair in body.split(separator: "&") where pair.hasPrefix("token=") {
            token = String(pair.dropFirst("token=".count)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
        }
        let user = lock.withLock { () -> String? in
            asked[token, default: 0] += 1
            return grants[token]
        }
        var object: [String: Any] = ["active": user != nil]
        if let user { object["username"] = user }
        let json = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{\"active\":false}".utf8)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(json.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + Array(json)
        var sent = 0
        while sent < response.count {
            let count = response[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            sent += count
        }
    }
}
