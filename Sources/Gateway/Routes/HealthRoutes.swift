import HTTPServer

/// `/health`, `/ready` and `/openapi.yaml`: no authentication.
extension GatewayContext {
    func registerHealthRoutes(on router: inout Router) {
        router.add(.get, "/health", name: "health") { _ in
            .json(bytes: Array(#"{"status":"ok"}"#.utf8))
        }
        router.add(.get, "/ready", name: "ready") { [self] _ in
            if await probeGreeting() {
                return .json(bytes: Array(#"{"status":"ready"}"#.utf8))
            }
            throw Problem.retryLater(503, "imap-unavailable", title: "IMAP server not answering",
                                     detail: "The IMAP server \(configuration.imap) did not greet within \(configuration.readinessTimeout).",
                                     after: .seconds(5))
        }
        router.add(.get, "/openapi.yaml", name: "openapi") { [self] _ in
            guard let document = openAPIDocument else {
                throw Problem.notFound("The OpenAPI document was not found at \(configuration.openAPIPath) when the gateway started.")
            }
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: .bytes(document))
        }
    }
}
