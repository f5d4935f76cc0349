import Foundation
import Testing
import HTTPServer

/// Routes that answer in every way a response can leave: plain, error, stream, and a handler
/// that sets its own `Vary` and (wrongly) its own CORS field.
private func corsRoutes(_ router: inout Router) {
    router.add(.get, "/health") { _ in .json(bytes: Array(#"{"status":"ok"}"#.utf8)) }
    router.add(.delete, "/health") { _ in .noContent() }
    router.add(.get, "/failing") { _ in throw HTTPError(status: 409, detail: "conflict") }
    router.add(.get, "/stream") { _ in
        .stream(contentType: "text/event-stream") { writer in try await writer.write(Array("data: 1\n\n".utf8)) }
    }
    router.add(.get, "/varying") { _ in
        .json(bytes: Array("{}".utf8), headers: ["Vary": "Accept-Encoding", "Access-Control-Allow-Origin": "https://wrong.example"])
    }
}

/// Sends one request on a fresh connection (`Connection: close`) and returns the raw head.
private func rawHead(_ server: TestServer, _ request: String) async throws -> String {
    let connection = try await server.connect()
    try await connection.send(request.replacingOccurrences(of: "\n", with: "\r\n") + "Connection: close\r\n\r\n")
    let bytes = try await connection.readToEnd()
    let text = String(decoding: bytes, as: UTF8.self)
    return String(text[..<(text.range(of: "\r\n\r\n")?.lowerBound ?? text.endIndex)])
}

/// How many field lines named `name` the raw head has (case-insensitive).
private func count(_ name: String, in head: String) -> Int {
    head.components(separatedBy: "\r\n").dropFirst().filter {
        $0.lowercased().hasPrefix(name.lowercased() + ":")
    }.count
}

/// The value of the one field named `name`.
private func value(_ name: String, in head: String) -> String? {
    head.components(separatedBy: "\r\n").dropFirst().first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
        .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
}

@Suite("CORS: every field exactly once on every kind of answer")
struct CORSTests {
    static let origin = "https://app.example"
    static let corsFields = ["Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Vary"]

    @Test("Preflight, plain, error, 404, stream, a handler's own Vary: each CORS field occurs once in the raw bytes")
    func eachFieldOnce() async throws {
        try await withCORSServer(configure: { $0.corsAllowedOrigins = [Self.origin] }, routes: corsRoutes) { server in
            let requests = [
                "OPTIONS /health HTTP/1.1\nHost: x\nOrigin: \(Self.origin)\nAccess-Control-Request-Method: DELETE\nAccess-Control-Request-Headers: authorization, content-type\n",
                "GET /health HTTP/1.1\nHost: x\nOrigin: \(Self.origin)\n",
                "GET /failing HTTP/1.1\nHost: x\nOrigin: \(Self.origin)\n",
                "GET /nothing-here HTTP/1.1\nHost: x\nOrigin: \(Self.origin)\n",
                "GET /stream HTTP/1.1\nHost: x\nOrigin: \(Self.origin)\n",
                "GET /varying HTTP/1.1\nHost: x\nOrigin: \(Self.origin)\n",
                "PUT /health HTTP/1.1\nHost: x\nOrigin: \(Self.origin)\nContent-Length: 0\n",
            ]
            for request in requests {
                let head = try await rawHead(server, request)
                for field in Self.corsFields {
                    #expect(count(field, in: head) == 1, "\(field) in \(head)")
                }
                #expect(value("Access-Control-Allow-Origin", in: head) == Self.origin)
                #expect(value("Access-Control-Expose-Headers", in: head)?.contains("Content-Disposition") == true)
            }
            let preflight = try await rawHead(server, requests[0])
            #expect(preflight.hasPrefix("HTTP/1.1 204"))
            for field in ["Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age"] {
                #expect(count(field, in: preflight) == 1, "\(field)")
            }
            #expect(value("Access-Control-Allow-Methods", in: preflight) == "GET, HEAD, DELETE, OPTIONS")
            #expect(value("Vary", in: preflight) == "Origin")
            // The handler's Vary is kept and ours joins it on the same line; its stray CORS field is replaced.
            let varying = try await rawHead(server, requests[5])
            #expect(value("Vary", in: varying) == "Accept-Encoding, Origin")
        }
    }

    @Test("Exposed headers name what JS needs: filename, validators, Location, Retry-After, request id")
    func exposedHeaders() async throws {
        try await withCORSServer(configure: { $0.corsAllowedOrigins = [Self.origin] }, routes: corsRoutes) { server in
            let head = try await rawHead(server, "GET /health HTTP/1.1\nHost: x\nOrigin: \(Self.origin)\n")
            let exposed = Set((value("Access-Control-Expose-Headers", in: head) ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            for name in ["content-disposition", "etag", "location", "retry-after", "x-request-id"] {
                #expect(exposed.contains(name), "\(name) not exposed")
            }
        }
    }

    @Test("Any origin (*): one Allow-Origin: *, no Vary; an origin not allowed gets only Vary")
    func wildcardAndRefused() async throws {
        try await withCORSServer(configure: { $0.corsAllowedOrigins = ["*"] }, routes: corsRoutes) { any in
            for request in ["GET /health HTTP/1.1\nHost: x\nOrigin: https://x.example\n",
                            "OPTIONS /health HTTP/1.1\nHost: x\nOrigin: https://x.example\nAccess-Control-Request-Method: DELETE\n",
                            "GET /failing HTTP/1.1\nHost: x\nOrigin: https://x.example\n"] {
                let head = try await rawHead(any, request)
                #expect(count("Access-Control-Allow-Origin", in: head) == 1)
                #expect(value("Access-Control-Allow-Origin", in: head) == "*")
                #expect(count("Vary", in: head) == 0)
            }
        }
        try await withCORSServer(configure: { $0.corsAllowedOrigins = [Self.origin] }, routes: corsRoutes) { strict in
            let refused = try await rawHead(strict, "OPTIONS /health HTTP/1.1\nHost: x\nOrigin: https://evil.example\nAccess-Control-Request-Method: DELETE\n")
            #expect(count("Access-Control-Allow-Origin", in: refused) == 0)
            #expect(count("Access-Control-Allow-Methods", in: refused) == 0)
            #expect(count("Vary", in: refused) == 1)
        }
    }
}

/// A test server that is shut down before this returns, also when `body` throws.
private func withCORSServer<T>(configure: (inout HTTPServerConfiguration) -> Void, routes: (inout Router) -> Void,
                               _ body: (TestServer) async throws -> T) async throws -> T {
    let server = try await TestServer.start(configure: configure, routes: routes)
    do {
        let result = try await body(server)
        await server.server.shutdown()
        return result
    } catch {
        await server.server.shutdown()
        throw error
    }
}
