import HTTPServer

/// The gateway's endpoints, one file per area; write-side routes add their own `register`.
extension GatewayContext {
    /// A router with every route.
    public func makeRouter() -> Router {
        var router = Router()
        registerHealthRoutes(on: &router)
        registerCapabilityRoutes(on: &router)
        registerFolderRoutes(on: &router)
        registerMessageListRoutes(on: &router)
        registerChangesRoutes(on: &router)
        registerMessageReadRoutes(on: &router)
        registerMessageStreamRoutes(on: &router)
        registerMessageWriteRoutes(on: &router)
        registerUploadRoutes(on: &router)
        registerBatchRoutes(on: &router)
        registerFolderWriteRoutes(on: &router)
        registerEventRoutes(on: &router)
        registerMetricsRoutes(on: &router)
        registerBrowserRoutes(on: &router)  // last: it wraps the routes above (media types, tickets)
        return router
    }

    /// Wraps a handler so every error it throws leaves as a problem document mapped in one place
    /// (`ErrorMapping`), and unexpected ones are logged.
    func handler(_ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) -> HTTPHandler {
        { [self] request in
            do {
                return try await body(request)
            } catch {
                let problem = ErrorMapping.problem(for: error, scheme: authenticator.scheme)
                if problem.status >= 500 {
                    logger.warning("Request failed", metadata: [
                        "requestID": "\(request.requestID)", "route": "\(request.route ?? request.path)",
                        "status": "\(problem.status)", "error": "\(error)",
                    ])
                }
                throw problem
            }
        }
    }

    /// A handler that needs an authenticated caller.
    func authenticated(_ body: @escaping @Sendable (HTTPRequest, Caller) async throws -> HTTPResponse) -> HTTPHandler {
        handler { [self] request in
            let caller = try caller(of: request)
            return try await body(request, caller)
        }
    }
}
