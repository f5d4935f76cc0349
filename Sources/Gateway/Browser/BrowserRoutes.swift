import Foundation
import HTTPServer

/// What browsers need beyond JSON: URL tickets (`POST /tickets`), message HTML for a sandboxed
/// frame (`GET .../html`), the inbox page (`/ui/`), and the checks every route gets (request
/// media types, ticket redemption). Registered last, as it wraps the routes added before it.
extension GatewayContext {
    func registerBrowserRoutes(on router: inout Router) {
        let tickets = TicketStore(lifetime: configuration.ticketLifetime)
        // The routes so far answer this file's internal reads (a folder, a message's JSON),
        // so these features sit on the same code paths, pool and errors as the API itself.
        let api = router

        router.add(.post, "/tickets", name: "createTicket", authenticated { request, caller in
            let asked = try await request.jsonBody(TicketRequestJSON.self)
            let target: HTTPRequest
            do { target = try HTTPRequest(method: .get, target: asked.path) } catch {
                throw Problem.badBody("'path' must be an absolute path such as /folders/INBOX/events.")
            }
            guard asked.path.hasPrefix("/"), target.query["ticket"] == nil,
                  TicketRedemption.ticketRoutes.contains(where: { Self.matches($0, target.pathSegments) }) else {
                throw Problem.make(422, "ticket-path", title: "No tickets for this path",
                                   detail: "Tickets are for: \(TicketRedemption.ticketRoutes.sorted().joined(separator: ", ")).",
                                   extensions: ["path": .string(asked.path)])
            }
            // The credentials and the folder are checked now, so a wrong password is a 401 here
            // and not a broken EventSource later.
            let check = try await Self.internalGET(Paths.folder(target.pathSegments[1]), like: request, on: api)
            guard check.status == 200 else { return check }
            guard let authorization = request.headers["Authorization"],
                  let issued = tickets.issue(authorization: authorization, user: caller.account.user,
                                             pathSegments: target.pathSegments) else {
                throw Problem.retryLater(503, "too-many-tickets", title: "Too many tickets",
                                         detail: "Too many unused tickets are outstanding; retry shortly.", after: .seconds(1))
            }
            let separator = asked.path.contains("?") ? "&" : "?"
            let seconds = Int(tickets.lifetime.components.seconds)
            let expiresAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(TimeInterval(seconds)))
            return .json(TicketJSON(ticket: issued.token, url: asked.path + separator + "ticket=" + issued.token,
                                    path: target.path, expiresIn: seconds, expiresAt: expiresAt),
                         status: 201, headers: ["Cache-Control": "no-store"])
        })

        router.add(.get, "/folders/{folder}/messages/{uid}/html", name: "getMessageHTML", authenticated { [self] request, caller in
            let folder = try request.folderParameter()
            let uid = try request.uidParameter()
            // A misspelt choice must not quietly become the default (openapi.yaml: enum [allow]).
            if let remote = request.query["remote"], remote != "allow" {
                throw Problem.badParameter("remote", "'remote' is 'allow' or left out, not '\(remote)'.")
            }
            let json = try await Self.internalGET(Paths.message(folder.name, uid: uid.rawValue), like: request, on: api)
            guard json.status == 200, case .bytes(let bytes) = json.body else { return json }
            let source = try JSONDecoder().decode(MessageHTMLView.Source.self, from: Data(bytes))
            let authorization = request.headers["Authorization"] ?? ""
            let document = MessageHTMLView.document(source) { href in
                guard let part = try? HTTPRequest(method: .get, target: href),
                      let issued = tickets.issue(authorization: authorization, user: caller.account.user,
                                                 pathSegments: part.pathSegments) else { return nil }
                return href + "?ticket=" + issued.token
            }
            let policy = MessageHTMLView.contentSecurityPolicy(
                remoteImages: request.query["remote"] == "allow", imageOrigin: Self.ownOrigin(request),
                frameAncestors: Self.frameAncestors(configuration.corsOrigins))
            return HTTPResponse(status: 200, headers: [
                "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": policy,
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store",
            ], body: .bytes(Array(document.utf8)))
        })

        if configuration.uiEnabled {
            let ui = StaticUI.load(from: configuration.uiDirectory, logger: logger)
            router.add(.get, "/ui", name: "ui") { _ in
                HTTPResponse(status: 308, headers: ["Location": "/ui/"])
            }
            router.add(.get, "/ui/", name: "ui") { _ in try ui.response(for: "index.html") }
            router.add(.get, "/ui/{file}", name: "ui") { request in try ui.response(for: request.pathParameters["file"] ?? "") }
        }

        router.wrapHandlers { [self] method, pattern, handler in
            TicketRedemption.redeeming(method: method, pattern: pattern, store: tickets, context: self,
                                       RequestMediaType.checking(method: method, pattern: pattern, handler))
        }
    }

    /// Runs a GET through `router` as the caller of `request` (same credentials and request id).
    static func internalGET(_ path: String, like request: HTTPRequest, on router: Router) async throws -> HTTPResponse {
        var headers = HTTPHeaders()
        if let authorization = request.headers["Authorization"] { headers.set("Authorization", authorization) }
        let inner = try HTTPRequest(method: .get, target: path, headers: headers, requestID: request.requestID,
                                    remoteAddress: request.remoteAddress)
        return await router.respond(to: inner)
    }

    /// Whether decoded `segments` fit a pattern such as `/folders/{folder}/events`.
    static func matches(_ pattern: String, _ segments: [String]) -> Bool {
        let parts = pattern.split(separator: "/").map(String.init)
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            part.hasPrefix("{") ? !segment.isEmpty : part == segment
        }
    }

    /// `http://host:port` of the gateway as the client addressed it, for the frame's `img-src`
    /// (a sandboxed frame's own origin is opaque); nil when `Host` is not a plain host[:port].
    static func ownOrigin(_ request: HTTPRequest) -> String? {
        guard let host = request.headers["Host"], !host.isEmpty,
              host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }) else { return nil }
        return "http://\(host) https://\(host)"
    }

    /// The CORS origins (or `*`) plus the gateway itself, for `frame-ancestors`.
    static func frameAncestors(_ origins: [String]) -> String {
        if origins.contains("*") { return "*" }
        let safe = origins.filter { origin in !origin.contains(where: { $0 == ";" || $0 == "," || $0.isWhitespace || $0 == "'" }) }
        return (["'self'"] + safe).joined(separator: " ")
    }
}

/// `{"path": "/folders/INBOX/events"}`.
struct TicketRequestJSON: Decodable {
    var path: String

    init(from decoder: any Decoder) throws {
        path = try RequestObject(decoder, members: ["path"]).required(String.self, "path")
    }
}

/// `{"ticket", "url", "path", "expiresIn", "expiresAt"}`.
struct TicketJSON: Encodable {
    var ticket: String
    /// The path asked for with the ticket appended: open this URL.
    var url: String
    var path: String
    /// Seconds it stays valid.
    var expiresIn: Int
    var expiresAt: String
}
