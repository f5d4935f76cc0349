/// Cross-origin rules for browsers (Fetch standard): which origins may read responses, and
/// the answer to preflight requests.
///
/// Every CORS field leaves exactly once per response: browsers refuse an
/// `Access-Control-Allow-Origin` with several values, and a repeated `Vary` is at best noise.
/// So the preflight answer carries only the preflight-specific fields, and `merged(into:)` adds
/// the per-origin ones to whatever response goes out (preflight, normal, error, stream),
/// replacing a handler's copies and folding its `Vary` into one line.
struct CORSPolicy: Sendable {
    let allowedOrigins: Set<String>
    let allowsAnyOrigin: Bool

    /// Request headers a page may send. `Last-Event-ID`: EventSource sends it when it reconnects;
    /// `Range`, `If-Range`: resumable downloads; `If-Match`: conditional writes; `X-IMAP-User`:
    /// the mailbox an OAuth access token (Bearer) is for.
    static let allowedHeaders = "Authorization, Content-Type, If-None-Match, If-Match, If-Range, Range, Last-Event-ID, X-IMAP-User, X-Request-ID"
    /// Response headers JS may read beyond the safelisted ones: the filename of a download,
    /// validators, where a created thing lives, when to retry, what to quote in a bug report,
    /// which scheme a 401 wants, and the range a 206 carries.
    static let exposedHeaders = "Content-Disposition, Content-Range, Accept-Ranges, ETag, Location, Retry-After, WWW-Authenticate, X-Request-ID"
    /// Browsers may cache a preflight answer this many seconds.
    static let maxAge = "600"
    /// The fields this policy owns on every response.
    static let ownedFields = ["Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Access-Control-Allow-Credentials"]

    init(origins: [String]) {
        allowedOrigins = Set(origins.filter { $0 != "*" })
        allowsAnyOrigin = origins.contains("*")
    }

    var isEnabled: Bool { allowsAnyOrigin || !allowedOrigins.isEmpty }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`, or nil if not allowed.
    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin else { return nil }
        if allowsAnyOrigin { return "*" }
        return allowedOrigins.contains(origin) ? origin : nil
    }

    /// Whether `request` is a preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`).
    static func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == .options && request.headers.contains("Origin")
            && request.headers.contains("Access-Control-Request-Method")
    }

    /// The per-origin headers for any response (preflight included); none when CORS is off.
    func responseHeaders(origin: String?) -> [(String, String)] {
        guard isEnabled else { return [] }
        var headers: [(String, String)] = []
        // Responses differ by Origin whenever CORS is on, so caches must key on it.
        if !allowsAnyOrigin { headers.append(("Vary", "Origin")) }
        guard let allowed = allowedOrigin(origin) else { return headers }
        headers.append(("Access-Control-Allow-Origin", allowed))
        headers.append(("Access-Control-Expose-Headers", Self.exposedHeaders))
        return headers
    }

    /// The answer to a preflight for a path that allows `methods`; nil when the origin is not
    /// allowed. It leaves `Access-Control-Allow-Origin` and `Vary` to `responseHeaders`, which
    /// the server adds to every response, so that they occur once.
    func preflightResponse(origin: String?, methods: [HTTPMethod]) -> HTTPResponse? {
        guard allowedOrigin(origin) != nil else { return nil }
        var headers = HTTPHeaders()
        headers.set("Access-Control-Allow-Methods", methods.map(\.rawValue).joined(separator: ", "))
        headers.set("Access-Control-Allow-Headers", Self.allowedHeaders)
        headers.set("Access-Control-Max-Age", Self.maxAge)
        return HTTPResponse(status: 204, headers: headers)
    }

    /// A handler's `headers` with the CORS ones added so that each occurs once: a handler's own
    /// copies of the owned fields are dropped, and every `Vary` (the handler's and ours) becomes
    /// one line without repeats.
    static func merged(_ cors: [(String, String)], into headers: HTTPHeaders) -> HTTPHeaders {
        guard !cors.isEmpty else { return headers }
        var result = HTTPHeaders()
        var vary: [String] = []
        func addVary(_ value: String) {
            for token in value.split(separator: ",") {
                let name = String(token.trimmingOWS())
                if !name.isEmpty, !vary.contains(where: { $0.equalsIgnoringASCIICase(name) }) { vary.append(name) }
            }
        }
        for field in headers {
            if field.name.equalsIgnoringASCIICase("Vary") {
                addVary(field.value)
            } else if !ownedFields.contains(where: { $0.equalsIgnoringASCIICase(field.name) }) {
                result.add(field.name, field.value)
            }
        }
        for (name, value) in cors {
            if name.equalsIgnoringASCIICase("Vary") { addVary(value) } else { result.set(name, value) }
        }
        if !vary.isEmpty { result.add("Vary", vary.joined(separator: ", ")) }
        return result
    }
}
