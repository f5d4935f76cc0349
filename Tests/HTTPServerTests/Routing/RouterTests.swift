import Testing
@testable import HTTPServer

@Suite("Router")
struct RouterTests {
    private func router() -> Router {
        var router = Router()
        router.add(.get, "/health") { _ in .text("ok") }
        router.add(.get, "/folders/{folder}/messages/{uid}") { request in
            .text("\(request.pathParameters["folder"]!)|\(request.pathParameters["uid"]!)|\(request.route!)")
        }
        router.add(.delete, "/folders/{folder}/messages/{uid}") { _ in .noContent() }
        router.add(.post, "/folders") { _ in HTTPResponse(status: 201) }
        router.add(.get, "/boom") { _ in throw HTTPError(status: 409, type: "https://imap-gateway.dev/problems/conflict",
                                                        detail: "exists", extensions: ["imap": "NO [ALREADYEXISTS]"]) }
        return router
    }

    private func send(_ method: HTTPMethod, _ target: String) async throws -> HTTPResponse {
        try await router().respond(to: HTTPRequest(method: method, target: target))
    }

    private func text(_ response: HTTPResponse) -> String {
        guard case .bytes(let bytes) = response.body else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("placeholders take one decoded segment; %2F stays inside it")
    func parameters() async throws {
        let response = try await send(.get, "/folders/Reports%2F2024/messages/42")
        #expect(text(response) == "Reports/2024|42|/folders/{folder}/messages/{uid}")
        let umlaut = try await send(.get, "/folders/Entw%C3%BCrfe/messages/7")
        #expect(text(umlaut).hasPrefix("Entwürfe|7"))
    }

    @Test("an unknown path is a 404 problem")
    func notFound() async throws {
        let response = try await send(.get, "/nope")
        #expect(response.status == 404)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(try await send(.get, "/folders/a/messages").status == 404)
        #expect(try await send(.get, "/health/").status == 404)
    }

    @Test("a known path with another method is 405 with Allow")
    func methodNotAllowed() async throws {
        let response = try await send(.put, "/folders/a/messages/1")
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD, DELETE, OPTIONS")
    }

    @Test("an unrecognised method on a known path is 501")
    func notImplemented() async throws {
        #expect(try await send(HTTPMethod(rawValue: "BREW"), "/health").status == 501)
    }

    @Test("HEAD is served by the GET handler")
    func head() async throws {
        #expect(try await send(.head, "/health").status == 200)
    }

    @Test("OPTIONS is answered with Allow")
    func options() async throws {
        let response = try await send(.options, "/folders")
        #expect(response.status == 204)
        #expect(response.headers["Allow"] == "POST, OPTIONS")
    }

    @Test("a handler's HTTPError becomes an RFC 9457 document with its extensions")
    func problem() async throws {
        let response = try await send(.get, "/boom")
        #expect(response.status == 409)
        let json = text(response)
        #expect(json.contains(#""type":"https://imap-gateway.dev/problems/conflict""#))
        #expect(json.contains(#""title":"Conflict""#))
        #expect(json.contains(#""status":409"#))
        #expect(json.contains(#""detail":"exists""#))
        #expect(json.contains(#""imap":"NO [ALREADYEXISTS]""#))
    }

    @Test("asterisk-form is for OPTIONS only; a target must otherwise be an absolute path")
    func asterisk() async throws {
        #expect(try await send(.options, "*").status == 204)
        #expect(try await send(.get, "*").status == 400)
        #expect(throws: HTTPError.self) { try HTTPRequest(method: .get, target: "health") }
    }

    @Test("a malformed percent-escape in the path is 400")
    func badEscape() {
        #expect(throws: HTTPError.self) { try HTTPRequest(method: .get, target: "/folders/%zz") }
        #expect(throws: HTTPError.self) { try HTTPRequest(method: .get, target: "/folders/%C3") }
    }
}

@Suite("Targets, path segments and query parameters")
struct TargetTests {
    @Test("the raw path is split on / first, then each segment decoded")
    func segments() throws {
        let request = try HTTPRequest(method: .get, target: "/folders/Reports%2F2024/messages?limit=5")
        #expect(request.path == "/folders/Reports%2F2024/messages")
        #expect(request.pathSegments == ["folders", "Reports/2024", "messages"])
        #expect(try HTTPRequest(method: .get, target: "/").pathSegments == [])
        #expect(try HTTPRequest(method: .get, target: "/a/").pathSegments == ["a", ""])
        #expect(try HTTPRequest(method: .get, target: "/a+b").pathSegments == ["a+b"])
    }

    @Test("query values decode + and %20 as space, keep order and repeats")
    func query() throws {
        let query = try HTTPRequest(method: .get, target: "/s?search=from%3Aann+is%3Aunread&x=1&x=2&flag&e=&sp=a%20b").query
        #expect(query["search"] == "from:ann is:unread")
        #expect(query.values(for: "x") == ["1", "2"])
        #expect(query["flag"] == "")
        #expect(query["e"] == "")
        #expect(query["sp"] == "a b")
        #expect(query["missing"] == nil)
        #expect(query.names == ["search", "x", "flag", "e", "sp"])
    }

    @Test("headers: case-insensitive lookup, set replaces all, remove removes all")
    func headers() {
        var headers: HTTPHeaders = ["Vary": "Origin", "vary": "Accept"]
        #expect(headers["VARY"] == "Origin")
        #expect(headers.values(for: "vary") == ["Origin", "Accept"])
        headers.set("Vary", "X")
        #expect(headers.values(for: "Vary") == ["X"])
        headers.add("Vary", "Y")
        headers.remove("vary")
        #expect(headers.isEmpty)
    }

    @Test("the Date header is IMF-fixdate")
    func date() {
        #expect(HTTPDate.format(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.now().hasSuffix(" GMT"))
    }

    @Test("request ids: sane ones are kept, others replaced")
    func requestIDs() {
        #expect(RequestID.resolve("abc-123") == "abc-123")
        #expect(RequestID.resolve("has space") != "has space")
        #expect(RequestID.resolve(String(repeating: "a", count: 201)).count < 201)
        #expect(RequestID.resolve(nil) != RequestID.resolve(nil))
    }
}
