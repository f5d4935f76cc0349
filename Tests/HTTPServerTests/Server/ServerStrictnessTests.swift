import Testing
import HTTPServer

@Suite("Server: malformed requests and limits over a real socket")
struct ServerStrictnessTests {
    private static func routes(_ router: inout Router) {
        router.add(.get, "/health") { _ in .text("ok") }
        router.add(.post, "/health") { request in .text("\(try await request.body.collect(upTo: 1000).count)") }
    }

    @Test("malformed requests get their status and the connection is closed", arguments: [
        ("GET / HTTP/1.1\r\n\r\n", 400),                                               // no Host
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),                         // two Hosts
        ("GET /health HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", 400),                 // obs-fold
        ("GET /health HTTP/1.1\r\nHost : a\r\n\r\n", 400),                             // space before colon
        ("GET /health HTTP/1.1\nHost: a\n\n", 400),                                    // bare LF
        ("GET /health HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", 400),                // NUL
        ("G@T /health HTTP/1.1\r\nHost: a\r\n\r\n", 400),                              // bad method token
        ("GET /health HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("GET /health HTTP/3.0\r\nHost: a\r\n\r\n", 505),
        ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),                                     // HTTP/2 preface
        ("POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400),
        ("POST /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        ("POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
        ("POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", 400),
        ("POST /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", 400),
        ("PUT /health HTTP/1.1\r\nHost: a\r\nExpect: the-unexpected\r\n\r\n", 417),
        ("GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    ])
    func malformed(_ request: String, _ status: Int) async throws {
        try await withTestServer(routes: Self.routes) { server in
            let connection = try await server.connect()
            try await connection.send(request)
            let response = try await connection.readResponse()
            #expect(response.status == status, "\(request.debugDescription)")
            #expect(response.headers["Content-Type"] == "application/problem+json")
            if status != 417 && request != "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n" {
                #expect(response.headers["Connection"] == "close")
                #expect(await connection.isClosedByServer())
            }
        }
    }

    @Test("414 for a long target, 431 for a big or crowded header section")
    func limits() async throws {
        try await withTestServer(routes: Self.routes) { server in
            let long = try await server.connect()
            try await long.send("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await long.readResponse().status == 414)

            let big = try await server.connect()
            try await big.send("GET /health HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 17000))\r\n\r\n")
            #expect(try await big.readResponse().status == 431)

            let crowded = try await server.connect()
            try await crowded.send("GET /health HTTP/1.1\r\nHost: a\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n")
            #expect(try await crowded.readResponse().status == 431)
        }
    }

    @Test("slowloris: a header section trickling in past the header timeout is cut off with 408")
    func slowHeaders() async throws {
        try await withTestServer(configure: { $0.headerTimeout = .milliseconds(500) }, routes: Self.routes) { server in
            let connection = try await server.connect()
            let start = ContinuousClock.now
            try await connection.send("GET /health HTTP/1.1\r\n")
            // One header line every 100 ms: each read is quick, the section as a whole is not.
            // The sleep is the slow client under test, not a wait for something.
            var cutOff = false
            for index in 0..<40 {
                do {
                    try await connection.send("X-\(index): v\r\n")
                } catch {
                    cutOff = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
                if ContinuousClock.now - start > .seconds(1) { break }
            }
            let response = try? await connection.readResponse(timeout: .seconds(3))
            if let response {
                #expect(response.status == 408)
            } else {
                let closed = cutOff ? true : await connection.isClosedByServer(timeout: .seconds(3))
                #expect(closed)
            }
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout")
    func idleTimeout() async throws {
        try await withTestServer(configure: { $0.idleTimeout = .milliseconds(300) }, routes: Self.routes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await connection.readResponse().status == 200)
            let start = ContinuousClock.now
            #expect(await connection.isClosedByServer(timeout: .seconds(5)))
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test("a stalled body gets 408 once the body timeout passes")
    func stalledBody() async throws {
        try await withTestServer(configure: { $0.bodyTimeout = .milliseconds(300) }, routes: Self.routes) { server in
            let connection = try await server.connect()
            try await connection.send("POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
            let response = try await connection.readResponse(timeout: .seconds(5))
            #expect(response.status == 408)
            #expect(await connection.isClosedByServer())
        }
    }

    @Test("beyond maxConnections new connections get 503 and are closed")
    func connectionCap() async throws {
        try await withTestServer(configure: { $0.maxConnections = 2 }, routes: Self.routes) { server in
            let first = try await server.connect()
            let second = try await server.connect()
            try await first.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            try await second.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await first.readResponse().status == 200)
            #expect(try await second.readResponse().status == 200)
            let third = try await server.connect()
            let rejected = try await third.readResponse()
            #expect(rejected.status == 503)
            #expect(rejected.headers["Retry-After"] == "1")
        }
    }
}
