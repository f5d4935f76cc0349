/// Cross-origin rules for browsers (Fetch standard): which origins may read responses, and
/// the answer to preflight requests.
struct CORSPolicy: Sendable {
    let allowedOrigins: Set<String>
    let allowsAnyOrigin: Bool

    static let allowedHeaders = "Authorization, Content-Type, If-None-Match, X-Request-ID"
    static let exposedHeaders = "ETag, Location, X-Request-ID, Retry-After"
    /// Browsers may cache a preflight answer this many seconds.
    static let maxAge = "600"

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

    /// Headers for an actual (non-preflight) response; none when CORS is off.
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

    /// The answer to a preflight for a path that allows `methods`; nil when the origin is not allowed.
    func preflightResponse(origin: String?, methods: [HTTPMethod]) -> HTTPResponse? {
        guard let allowed = allowedOrigin(origin) else { return nil }
        var headers = HTTPHeaders()
        headers.set("Access-Control-Allow-Origin", allowed)
        headers.set("Access-Control-Allow-Methods", methods.map(\.rawValue).joined(separator: ", "))
        headers.set("Access-Control-Allow-Headers", Self.allowedHeaders)
        headers.set("Access-Control-Max-Age", Self.maxAge)
        if !allowsAnyOrigin { headers.add("Vary", "Origin") }
        return HTTPResponse(status: 204, headers: headers)
    }
}
