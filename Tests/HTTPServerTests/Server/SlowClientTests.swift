import Foundation
import Testing
@testable import HTTPServer
import Sockets

/// Clients that are slow on purpose (issue 13): body deadlines over the whole body, early answers
/// that close instead of draining, and the per-client and unauthenticated connection caps.
@Suite("Server: slow and greedy clients")
struct SlowClientTests {
    /// `GET /private` is 200 with any `Authorization`, else 401 without reading a body;
    /// `POST /upload` reads the whole body.
    static func routes(_ router: inout Router) {
        router.add(.get, "/private") { request in
            request.headers["Authorization"] == nil ? HTTPError(status: 401, detail: "credentials").response : .text("ok")
        }
        router.add(.post, "/private") { request in
            guard request.headers["Authorization"] != nil else { return HTTPError(status: 401, detail: "credentials").response }
            return .text("\(try await request.body.collect(upTo: 1 << 20).count)")
        }
        router.add(.post, "/upload") { request in .text("\(try await request.body.collect(upTo: 1 << 20).count)") }
    }

    final class Rejections: HTTPServerObserver, @unchecked Sendable {
        // @unchecked: `reasons` is only touched under `lock`.
        private let lock = NSLock()
        private var reasons: [String] = []
        func requestCompleted(method: HTTPMethod, route: String, status: Int, bytesSent: Int, duration: Duration) {}
        func connectionRejected(reason: String) { lock.withLock { reasons.append(reason) } }
        var all: [String] { lock.withLock { reasons } }
    }

    /// Runs `body` against a test server and shuts it down before returning, also on failure.
    static func withServer(configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                           observer: (any HTTPServerObserver)? = nil,
                           _ body: (TestServer) async throws -> Void) async throws {
        let server = try await TestServer.start(configure: configure, observer: observer, routes: routes)
        do {
            try await body(server)
        } catch {
            await server.server.shutdown()
            throw error
        }
        await server.server.shutdown()
    }

    static func request(_ method: String, _ path: String, authorized: Bool, body: String = "") -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: a\r\n" + (authorized ? "Authorization: Basic dTpw\r\n" : "")
            + (body.isEmpty && method == "GET" ? "" : "Content-Length: \(body.utf8.count)\r\n") + "\r\n" + body
    }

    /// Reads one response head's status line off `stream`, or nil on EOF.
    static func status(on stream: SocketStream, timeout: Duration = .seconds(5)) async throws -> Int? {
        var buffer: [UInt8] = []
        while buffer.firstRange(of: [13, 10, 13, 10]) == nil {
            let bytes = try await stream.read(maxBytes: 65536, timeout: timeout)
            if bytes.isEmpty { return nil }
            buffer += bytes
        }
        let line = String(decoding: buffer.prefix { $0 != 13 }, as: UTF8.self)
        return Int(line.split(separator: " ")[1])
    }

    @Test("a body trickled a byte at a time gets 408 once the whole body used up the body timeout")
    func trickledBody() async throws {
        try await Self.withServer(configure: { $0.bodyTimeout = .seconds(1) }) { server in
            let connection = try await server.connect()
            try await connection.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n")
            let start = ContinuousClock.now
            // Each byte comes well within any per-read timeout; together they never finish.
            let stream = connection.stream
            let trickle = Task {
                for _ in 0..<100 {
                    try await stream.write(Array("x".utf8), timeout: .seconds(5))
                    try await Task.sleep(for: .milliseconds(150))
                }
            }
            defer { trickle.cancel() }
            let response = try await connection.readResponse(timeout: .seconds(8))
            let elapsed = ContinuousClock.now - start
            #expect(response.status == 408)
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(4), "took \(elapsed)")
        }
    }

    @Test("a body that keeps a sane rate may take longer than the body timeout")
    func steadyBody() async throws {
        try await Self.withServer(configure: { $0.bodyTimeout = .milliseconds(500); $0.bodyGraceBytesPerSecond = 1024 }) { server in
            let connection = try await server.connect()
            try await connection.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 40960\r\n\r\n")
            // 40 KiB over ~1 s in 4 KiB steps: each step earns 4 s.
            for _ in 0..<10 {
                try await connection.send([UInt8](repeating: 0x61, count: 4096))
                try await Task.sleep(for: .milliseconds(100))
            }
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "40960")
        }
    }

    @Test("an answer given before the body is read comes at once, and the connection closes when the body does not follow")
    func earlyAnswerCloses() async throws {
        try await Self.withServer() { server in
            let connection = try await server.connect()
            let start = ContinuousClock.now
            try await connection.send("POST /private HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nx")
            let response = try await connection.readResponse(timeout: .seconds(5))
            #expect(response.status == 401)
            #expect(response.headers["Connection"] == "close")
            #expect(ContinuousClock.now - start < .seconds(2))
            // The slot is given back: the server closes although the client keeps the socket open.
            #expect(await connection.isClosedByServer(timeout: .seconds(5)))
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test("a small body sent with the head is still drained and the connection kept")
    func smallBodyDrained() async throws {
        try await Self.withServer() { server in
            let connection = try await server.connect()
            try await connection.send(Self.request("POST", "/private", authorized: false, body: "hello"))
            #expect(try await connection.readResponse().status == 401)
            try await connection.send(Self.request("GET", "/private", authorized: true))
            #expect(try await connection.readResponse().status == 200)
        }
    }

    @Test("per-client caps: a fourth connection from one address is refused, another address is served, rejections are reported")
    func perClientCap() async throws {
        let observer = Rejections()
        try await Self.withServer(configure: { $0.maxConnectionsPerClient = 3 }, observer: observer) { server in
            var held: [SocketStream] = []
            defer { for stream in held { stream.close() } }
            for _ in 0..<3 { held.append(try await SourceBoundConnection.connect(from: "127.0.0.2", port: server.port)) }
            let fourth = try await SourceBoundConnection.connect(from: "127.0.0.2", port: server.port)
            defer { fourth.close() }
            #expect(try await Self.status(on: fourth) == 503)
            let other = try await SourceBoundConnection.connect(from: "127.0.0.3", port: server.port)
            defer { other.close() }
            try await other.write(Array(Self.request("GET", "/private", authorized: true).utf8), timeout: .seconds(5))
            #expect(try await Self.status(on: other) == 200)
            #expect(observer.all == ["per_client"])
        }
    }

    @Test("unauthenticated cap per client: connections that authenticated stop counting against it")
    func unauthenticatedCap() async throws {
        let observer = Rejections()
        try await Self.withServer(configure: { $0.maxUnauthenticatedConnectionsPerClient = 2 }, observer: observer) { server in
            let first = try await SourceBoundConnection.connect(from: "127.0.0.4", port: server.port)
            let second = try await SourceBoundConnection.connect(from: "127.0.0.4", port: server.port)
            defer { first.close(); second.close() }
            let third = try await SourceBoundConnection.connect(from: "127.0.0.4", port: server.port)
            #expect(try await Self.status(on: third) == 503)
            third.close()
            // A request with rejected credentials does not count as authenticated...
            try await first.write(Array(Self.request("GET", "/private", authorized: false).utf8), timeout: .seconds(5))
            #expect(try await Self.status(on: first) == 401)
            let fourth = try await SourceBoundConnection.connect(from: "127.0.0.4", port: server.port)
            #expect(try await Self.status(on: fourth) == 503)
            fourth.close()
            // ...one with accepted credentials does, and frees its place in the unauthenticated cap.
            try await first.write(Array(Self.request("GET", "/private", authorized: true).utf8), timeout: .seconds(5))
            #expect(try await Self.status(on: first) == 200)
            let fifth = try await SourceBoundConnection.connect(from: "127.0.0.4", port: server.port)
            defer { fifth.close() }
            try await fifth.write(Array(Self.request("GET", "/private", authorized: true).utf8), timeout: .seconds(5))
            #expect(try await Self.status(on: fifth) == 200)
            #expect(observer.all == ["per_client_unauthenticated", "per_client_unauthenticated"])
        }
    }

    @Test("reserved slots: with the unauthenticated share full, credentials still get an answer and anonymous requests a 503")
    func reservedSlots() async throws {
        try await Self.withServer(configure: { $0.maxConnections = 6; $0.reservedAuthenticatedConnections = 2 }) { server in
            var held: [SocketStream] = []
            defer { for stream in held { stream.close() } }
            for index in 0..<4 { held.append(try await SourceBoundConnection.connect(from: "127.0.1.\(index + 1)", port: server.port)) }
            let settled = ContinuousClock.now + .seconds(10)
            while server.server.unauthenticatedConnections < 4, ContinuousClock.now < settled {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(server.server.unauthenticatedConnections == 4)
            let anonymous = try await SourceBoundConnection.connect(from: "127.0.2.1", port: server.port)
            defer { anonymous.close() }
            try await anonymous.write(Array(Self.request("GET", "/private", authorized: false).utf8), timeout: .seconds(5))
            #expect(try await Self.status(on: anonymous) == 503)
            let member = try await SourceBoundConnection.connect(from: "127.0.2.2", port: server.port)
            defer { member.close() }
            try await member.write(Array(Self.request("GET", "/private", authorized: true).utf8), timeout: .seconds(5))
            #expect(try await Self.status(on: member) == 200)
            // Authenticated, it stays: a second request on it is served too.
            try await member.write(Array(Self.request("GET", "/private", authorized: true).utf8), timeout: .seconds(5))
            #expect(try await Self.status(on: member) == 200)
        }
    }

    @Test("a registered HTTP method the resource lacks is 405 with Allow; a token that is no HTTP method is 501")
    func unknownMethods() async throws {
        try await Self.withServer { server in
            for (method, status) in [("PROPFIND", 405), ("QUERY", 405), ("PUT", 405), ("BREW", 501)] {
                let connection = try await server.connect()
                try await connection.send("\(method) /upload HTTP/1.1\r\nHost: a\r\n\r\n")
                let response = try await connection.readResponse()
                #expect(response.status == status, "\(method)")
                #expect((response.headers["Allow"] != nil) == (status == 405), "\(method)")
            }
        }
    }

    @Test("trusted proxies: the forwarded address is believed only from them, read from the right")
    func forwardedAddresses() throws {
        let proxies = [try #require(IPNetwork("10.0.0.0/8")), try #require(IPNetwork("::1"))]
        let headers: HTTPHeaders = ["X-Forwarded-For": "6.6.6.6, 203.0.113.7, 10.1.2.3"]
        #expect(ClientAddress.resolve(peer: "10.0.0.1", headers: headers, trustedProxies: proxies) == "203.0.113.7")
        #expect(ClientAddress.resolve(peer: "192.0.2.1", headers: headers, trustedProxies: proxies) == "192.0.2.1")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", headers: headers, trustedProxies: []) == "10.0.0.1")
        let forwarded: HTTPHeaders = ["Forwarded": "for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\""]
        #expect(ClientAddress.resolve(peer: "::1", headers: forwarded, trustedProxies: proxies) == "2001:db8:cafe::17")
        let garbage: HTTPHeaders = ["X-Forwarded-For": "not-an-address"]
        #expect(ClientAddress.resolve(peer: "10.0.0.1", headers: garbage, trustedProxies: proxies) == "10.0.0.1")
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(try #require(IPNetwork("192.168.0.0/16")).contains("::ffff:192.168.4.5"))
    }
}
