import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import HTTPServer

private let healthBody = #"{"status":"ok"}"#

private func healthRoutes(_ router: inout Router) {
    router.add(.get, "/health") { _ in .json(bytes: Array(healthBody.utf8)) }
    router.add(.get, "/echo/{name}") { request in
        .text("\(request.pathParameters["name"]!) \(request.query["q"] ?? "-")")
    }
}

@Suite("Server: requests and responses over a real socket")
struct ServerBasicsTests {
    @Test("GET /health: status, body, Content-Length, Date, Server, X-Request-ID")
    func health() async throws {
        try await withTestServer(routes: healthRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == healthBody)
            #expect(response.headers["Content-Type"] == "application/json")
            #expect(response.headers["Content-Length"] == "15")
            #expect(response.headers["Server"] == "imap-gateway")
            #expect(response.headers["Date"]?.hasSuffix(" GMT") == true)
            #expect(response.headers["X-Request-ID"]?.isEmpty == false)
            #expect(response.headers["Connection"] == nil)
        }
    }

    @Test("keep-alive: several requests on one connection; pipelined ones answered in order")
    func keepAliveAndPipelining() async throws {
        try await withTestServer(routes: healthRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /echo/one HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "one -")
            try await connection.send("GET /echo/two HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "two -")

            let three = ["a", "b", "c"].map { "GET /echo/\($0)?q=\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
            try await connection.send(three)
            #expect(try await connection.readResponse().text == "a a")
            #expect(try await connection.readResponse().text == "b b")
            #expect(try await connection.readResponse().text == "c c")
        }
    }

    @Test("Connection: close and HTTP/1.0 without keep-alive close after the response")
    func closes() async throws {
        try await withTestServer(routes: healthRoutes) { server in
            let first = try await server.connect()
            try await first.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try await first.readResponse().headers["Connection"] == "close")
            #expect(await first.isClosedByServer())

            let old = try await server.connect()
            try await old.send("GET /health HTTP/1.0\r\n\r\n")
            #expect(try await old.readResponse().status == 200)
            #expect(await old.isClosedByServer())

            let oldKeepAlive = try await server.connect()
            try await oldKeepAlive.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try await oldKeepAlive.readResponse().headers["Connection"] == "keep-alive")
            try await oldKeepAlive.send("GET /health HTTP/1.0\r\n\r\n")
            #expect(try await oldKeepAlive.readResponse().status == 200)
        }
    }

    @Test("HEAD: the GET headers with the right Content-Length, and no body")
    func head() async throws {
        try await withTestServer(routes: healthRoutes) { server in
            let connection = try await server.connect()
            // A body after HEAD would be misread as the start of the next response.
            try await connection.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/after HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try await connection.readResponse(forHead: true)
            #expect(head.status == 200)
            #expect(head.headers["Content-Length"] == "15")
            #expect(try await connection.readResponse().text == "after -")
        }
    }

    @Test("unknown path 404, wrong method 405 with Allow, OPTIONS with Allow")
    func routing() async throws {
        try await withTestServer(routes: healthRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
            let notFound = try await connection.readResponse()
            #expect(notFound.status == 404)
            #expect(notFound.headers["Content-Type"] == "application/problem+json")
            #expect(notFound.text.contains(#""status":404"#))
            try await connection.send("DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n")
            let notAllowed = try await connection.readResponse()
            #expect(notAllowed.status == 405)
            #expect(notAllowed.headers["Allow"] == "GET, HEAD, OPTIONS")
            try await connection.send("OPTIONS /health HTTP/1.1\r\nHost: x\r\n\r\n")
            let options = try await connection.readResponse()
            #expect(options.status == 204)
            #expect(options.headers["Allow"] == "GET, HEAD, OPTIONS")
        }
    }

    @Test("X-Request-ID: a sane one is echoed, an insane one replaced")
    func requestID() async throws {
        try await withTestServer(routes: healthRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Request-ID: abc-123\r\n\r\n")
            #expect(try await connection.readResponse().headers["X-Request-ID"] == "abc-123")
            let long = String(repeating: "z", count: 201)
            try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Request-ID: \(long)\r\n\r\n")
            let replaced = try await connection.readResponse().headers["X-Request-ID"]
            #expect(replaced != nil && replaced != long)
        }
    }

    @Test("a handler's unexpected error is a 500 without internals, and is logged")
    func unexpectedError() async throws {
        struct DatabaseOnFire: Error { let secret = "password=hunter2" }
        try await withTestServer(routes: { router in
            router.add(.get, "/fail") { _ in throw DatabaseOnFire() }
        }) { server in
            let connection = try await server.connect()
            try await connection.send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 500)
            #expect(response.headers["Content-Type"] == "application/problem+json")
            #expect(!response.text.contains("DatabaseOnFire"))
            #expect(!response.text.contains("hunter2"))
            #expect(server.logs.all.contains { $0.level == .error && $0.everything.contains("DatabaseOnFire") })
        }
    }

    @Test("access log: one line per request with path and query NAMES, never values or Authorization")
    func accessLog() async throws {
        try await withTestServer(routes: healthRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /echo/x?q=topsecret&token=abc123 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic dXNlcjpwYXNz\r\nX-Request-ID: log-1\r\n\r\n")
            _ = try await connection.readResponse()
            #expect(await eventually { server.logs.all.contains { $0.metadata["request-id"] == "log-1" } })
            let lines = server.logs.all.filter { $0.metadata["request-id"] == "log-1" }
            #expect(lines.count == 1)
            let line = lines[0].everything
            #expect(line.contains("GET /echo/x?q&token 200"))
            #expect(lines[0].metadata["bytes"] != nil)
            #expect(lines[0].metadata["duration-ms"] != nil)
            for secret in ["topsecret", "abc123", "dXNlcjpwYXNz", "Basic"] {
                #expect(!server.logs.all.contains { $0.everything.contains(secret) }, "\(secret) leaked into a log")
            }
        }
    }

    @Test("the observer hears about each request with its route pattern")
    func observer() async throws {
        final class Recorder: HTTPServerObserver, @unchecked Sendable {
            // @unchecked: `seen` is only touched while `lock` is held.
            let lock = NSLock()
            var seen: [(String, String, Int, Int)] = []
            func requestCompleted(method: HTTPMethod, route: String, status: Int, bytesSent: Int, duration: Duration) {
                lock.withLock { seen.append((method.rawValue, route, status, bytesSent)) }
            }
            var snapshot: [(String, String, Int, Int)] { lock.withLock { seen } }
        }
        let recorder = Recorder()
        try await withTestServer(observer: recorder, routes: healthRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /echo/a HTTP/1.1\r\nHost: x\r\n\r\nGET /zzz HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await connection.readResponse()
            _ = try await connection.readResponse()
            #expect(await eventually { recorder.snapshot.count == 2 })
            #expect(recorder.snapshot.map(\.1) == ["/echo/{name}", "unmatched"])
            #expect(recorder.snapshot.map(\.2) == [200, 404])
            #expect(recorder.snapshot[0].3 > 0)
        }
    }

    @Test("CORS: allowed origin echoed with Vary and exposed headers; preflight answered; others get nothing")
    func cors() async throws {
        try await withTestServer(configure: { $0.corsAllowedOrigins = ["https://app.example"] }, routes: { router in
            healthRoutes(&router)
            router.add(.delete, "/health") { _ in .noContent() }
        }) { server in
            let connection = try await server.connect()
            try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n\r\n")
            let allowed = try await connection.readResponse()
            #expect(allowed.headers["Access-Control-Allow-Origin"] == "https://app.example")
            #expect(allowed.headers["Vary"] == "Origin")
            #expect(allowed.headers["Access-Control-Expose-Headers"] == "Content-Disposition, Content-Range, Accept-Ranges, ETag, Location, Retry-After, WWW-Authenticate, X-Request-ID")

            try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n")
            let other = try await connection.readResponse()
            #expect(other.headers["Access-Control-Allow-Origin"] == nil)

            try await connection.send("OPTIONS /health HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: DELETE\r\nAccess-Control-Request-Headers: authorization\r\n\r\n")
            let preflight = try await connection.readResponse()
            #expect(preflight.status == 204)
            #expect(preflight.headers["Access-Control-Allow-Origin"] == "https://app.example")
            #expect(preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, DELETE, OPTIONS")
            #expect(preflight.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type, If-None-Match, If-Match, If-Range, Range, Last-Event-ID, X-IMAP-User, X-Request-ID")
        }
    }

    @Test("CORS on rejected heads: a browser can read a 431 or 400 when its origin is allowed")
    func corsOnRejectedHeads() async throws {
        try await withTestServer(configure: { $0.corsAllowedOrigins = ["https://app.example"] }, routes: healthRoutes) { server in
            let cookie = String(repeating: "c", count: 20_000)
            let big = try await server.connect()
            try await big.send("GET /health HTTP/1.1\r\nHost: x\r\nORIGIN:  https://app.example \r\nCookie: \(cookie)\r\n\r\n")
            let tooLarge = try await big.readResponse()
            #expect(tooLarge.status == 431)
            #expect(tooLarge.headers["Access-Control-Allow-Origin"] == "https://app.example")

            let folded = try await server.connect()
            try await folded.send("GET /health HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\nX-Folded: a\r\n b\r\n\r\n")
            let badRequest = try await folded.readResponse()
            #expect(badRequest.status == 400)
            #expect(badRequest.headers["Access-Control-Allow-Origin"] == "https://app.example")

            let other = try await server.connect()
            try await other.send("GET /health HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nX-Folded: a\r\n b\r\n\r\n")
            let refused = try await other.readResponse()
            #expect(refused.status == 400)
            #expect(refused.headers["Access-Control-Allow-Origin"] == nil)
            #expect(refused.headers["Vary"] == "Origin")
        }
    }

    @Test("URLSession (a real client) gets JSON, a problem document and a HEAD")
    func urlSession() async throws {
        try await withTestServer(routes: healthRoutes) { server in
            let session = URLSession(configuration: .ephemeral)
            let (data, response) = try await session.data(from: server.baseURL.appendingPathComponent("health"))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self) == healthBody)

            let (problem, missing) = try await session.data(from: server.baseURL.appendingPathComponent("missing"))
            #expect((missing as? HTTPURLResponse)?.statusCode == 404)
            let document = try JSONSerialization.jsonObject(with: problem) as? [String: Any]
            #expect(document?["status"] as? Int == 404)
            #expect(document?["title"] as? String == "Not Found")

            var head = URLRequest(url: server.baseURL.appendingPathComponent("health"))
            head.httpMethod = "HEAD"
            let (headData, headResponse) = try await session.data(for: head)
            #expect(headData.isEmpty)
            #expect((headResponse as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Length") == "15")
        }
    }
}
