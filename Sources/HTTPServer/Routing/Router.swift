/// A request handler.
public typealias HTTPHandler = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// Maps method and path pattern to handlers.
///
/// An unknown path gives 404, a known path with another method 405 with `Allow`; HEAD is served
/// by the GET handler unless a HEAD route exists; OPTIONS is answered with `Allow` unless routed.
public struct Router: Sendable {
    struct Route: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        let name: String?
        let handler: HTTPHandler
    }

    /// The outcome of looking up a request.
    enum Match {
        case found(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private(set) var routes: [Route] = []

    public init() {}

    /// Adds a route. `pattern` is a path with `{name}` placeholders, each matching one whole
    /// decoded path segment: `/folders/{folder}/messages/{uid}`.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, name: String? = nil,
                             _ handler: @escaping HTTPHandler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), name: name, handler: handler))
    }

    /// Replaces the handler of every route added so far with `wrap(method, pattern, handler)`:
    /// one place for checks that apply across routes (request media types, URL tickets), decided
    /// per route once at start-up rather than per request. Routes added later are not wrapped.
    public mutating func wrapHandlers(_ wrap: (_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) -> HTTPHandler) {
        routes = routes.map { route in
            Route(method: route.method, pattern: route.pattern, name: route.name,
                  handler: wrap(route.method, route.pattern.description, route.handler))
        }
    }

    /// Finds the route for a method and decoded path segments.
    func match(_ method: HTTPMethod, _ pathSegments: [String]) -> Match {
        var allowed: [HTTPMethod] = []
        var getRoute: (Route, [String: String])?
        for route in routes {
            guard let parameters = route.pattern.match(pathSegments) else { continue }
            if route.method == method { return .found(route, parameters: parameters) }
            if route.method == .get, getRoute == nil { getRoute = (route, parameters) }
            allowed.append(route.method)
        }
        if method == .head, let (route, parameters) = getRoute { return .found(route, parameters: parameters) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: Router.allowList(allowed))
    }

    /// The methods a path answers to, as listed in `Allow` (empty for an unknown path).
    func allowedMethods(for pathSegments: [String]) -> [HTTPMethod] {
        let methods = routes.filter { $0.pattern.match(pathSegments) != nil }.map(\.method)
        return methods.isEmpty ? [] : Router.allowList(methods)
    }

    /// Adds HEAD where GET is and OPTIONS everywhere, in a stable order.
    private static func allowList(_ methods: [HTTPMethod]) -> [HTTPMethod] {
        var set = Set(methods)
        if set.contains(.get) { set.insert(.head) }
        set.insert(.options)
        let order: [HTTPMethod] = [.get, .head, .post, .put, .patch, .delete, .options]
        return order.filter { set.contains($0) } + set.subtracting(order).sorted { $0.rawValue < $1.rawValue }
    }

    /// Routes a request and runs its handler, turning every outcome into a response: the
    /// handler's `HTTPError` becomes its problem document, any other error a bare 500.
    /// For calling the application without a socket (tests); the server adds its own headers.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        var request = request
        let resolved = resolve(&request)
        do {
            return try await resolved.handler(request)
        } catch let error as HTTPError {
            return error.response
        } catch {
            return HTTPError(status: 500).response
        }
    }

    /// A request matched to what answers it: a handler (with `pathParameters` and `route` filled
    /// into `request`), or one that throws 404/405/501 or answers OPTIONS. `route` is the
    /// pattern, or "unmatched". In place, because copying a request costs a dozen retains.
    func resolve(_ request: inout HTTPRequest) -> (route: String, handler: HTTPHandler) {
        if request.target == "*" {
            guard request.method == .options else {
                let error = HTTPError(status: 400, detail: "The target '*' is only for OPTIONS.")
                return ("unmatched", { _ in throw error })
            }
            let allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
            return ("unmatched", { _ in HTTPResponse(status: 204, headers: ["Allow": allow]) })
        }
        switch match(request.method, request.pathSegments) {
        case .found(let route, let parameters):
            request.pathParameters = parameters
            request.route = route.pattern.description
            return (route.pattern.description, route.handler)
        case .methodNotAllowed(let allowed):
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            if request.method == .options {
                return ("unmatched", { _ in HTTPResponse(status: 204, headers: ["Allow": allow]) })
            }
            let status = HTTPMethod.recognised.contains(request.method) ? 405 : 501
            let error = HTTPError(status: status,
                                  detail: "\(request.method) is not supported here; allowed: \(allow).",
                                  headers: status == 405 ? ["Allow": allow] : HTTPHeaders())
            return ("unmatched", { _ in throw error })
        case .notFound:
            let error = HTTPError(status: 404, detail: "No resource at \(request.path).")
            return ("unmatched", { _ in throw error })
        }
    }
}
