import Logging

/// One client connection: reads requests in order, runs their handlers, writes responses,
/// keeps the connection alive when HTTP allows it. Runs on its own task.
struct HTTPConnection: Sendable {
    let id: UInt64
    let transport: any HTTPTransport
    let context: ConnectionContext
    let acceptedAt: ContinuousClock.Instant

    private var configuration: HTTPServerConfiguration { context.configuration }

    func run() async {
        defer {
            transport.close()
            context.registry.unregister(id)
        }
        let reader = RequestReader(transport: transport, configuration: configuration)
        var firstDeadline: ContinuousClock.Instant? = acceptedAt + configuration.headerTimeout
        while context.registry.enterIdle(id) {
            let head: RequestHead?
            do {
                head = try await reader.nextHead(firstDeadline: firstDeadline)
            } catch {
                await answerUnreadable(error)
                return
            }
            guard let head else { return }
            firstDeadline = nil
            context.registry.enterBusy(id)
            guard await serve(head, reader: reader) else { return }
        }
    }

    /// Serves one request; returns whether the connection stays open for the next.
    private func serve(_ head: RequestHead, reader: RequestReader) async -> Bool {
        let start = ContinuousClock.now
        let requestID = RequestID.resolve(head.headers["X-Request-ID"])
        var keepAlive = head.keepAlive
        var route = "unmatched"
        var path = head.target
        var queryNames: [String] = []
        var bodyAbandoned = false

        var response: HTTPResponse
        do {
            var contentLength: Int?
            switch head.framing {
            case .none: contentLength = 0
            case .length(let length):
                contentLength = length
                // Too large to read: answer at once, never read the body, close afterwards.
                guard length <= configuration.maxRequestBodyBytes else {
                    bodyAbandoned = true
                    throw HTTPError.contentTooLarge(limit: configuration.maxRequestBodyBytes)
                }
            case .chunked: contentLength = nil
            }
            let body = HTTPRequestBody(contentLength: contentLength,
                                       source: head.framing == .none ? nil : ConnectionBodySource(reader: reader))
            let request = try HTTPRequest(method: head.method, target: head.target, version: head.version,
                                          headers: head.headers, body: body, requestID: requestID,
                                          remoteAddress: transport.remoteAddress)
            path = request.path
            queryNames = request.query.names
            if context.cors.isEnabled, CORSPolicy.isPreflight(request) {
                let methods = context.router.allowedMethods(for: request.pathSegments)
                if !methods.isEmpty,
                   let preflight = context.cors.preflightResponse(origin: head.headers["Origin"], methods: methods) {
                    response = preflight
                } else {
                    let resolved = context.router.resolve(request)
                    route = resolved.route
                    response = try await resolved.handler(resolved.request)
                }
            } else {
                let resolved = context.router.resolve(request)
                route = resolved.route
                response = try await resolved.handler(resolved.request)
            }
        } catch let error as HTTPError {
            response = error.response
        } catch {
            // Internals stay in the log; the client gets a bare 500 with the request id to quote.
            context.logger.error("handler failed", metadata: [
                "request-id": "\(requestID)", "method": "\(head.method)", "path": "\(path)",
                "error": "\(String(reflecting: error))",
            ])
            response = HTTPError(status: 500, detail: "An unexpected error occurred; quote the request id when reporting it.").response
        }

        let bodyFinished = bodyAbandoned ? false : (reader.hasOpenBody ? await reader.finishBody() : true)
        keepAlive = keepAlive && bodyFinished && !context.registry.isDraining

        let writer = ResponseWriter(transport: transport, configuration: configuration, logger: context.logger)
        let outcome = await writer.write(response, for: head, requestID: requestID, keepAlive: keepAlive,
                                         corsHeaders: { context.cors.addResponseHeaders(to: &$0, origin: head.headers["Origin"]) })
        let duration = ContinuousClock.now - start

        context.observer?.requestCompleted(method: head.method, route: route, status: response.status,
                                           bytesSent: outcome.bytesSent, duration: duration)
        logAccess(method: head.method.rawValue, path: path, queryNames: queryNames, status: response.status,
                  bytes: outcome.bytesSent, duration: duration, requestID: requestID)
        return outcome.keepAlive
    }

    /// Answers a request that could not be parsed (or timed out while sending its head), then
    /// the caller closes: after a framing error nothing later on the connection can be trusted.
    private func answerUnreadable(_ failure: HeadReadFailure) async {
        let start = ContinuousClock.now
        let error: HTTPError
        switch failure {
        case .malformed(let parseError): error = parseError.httpError
        case .headerTimeout:
            error = HTTPError(status: 408, detail: "The request header section did not arrive within the header timeout.")
        }
        let requestID = RequestID.generate()
        var headers = error.response.headers
        headers.set("Connection", "close")
        var response = error.response
        response.headers = headers
        let head = RequestHead(method: .get, target: "*", version: .http1_1, headers: HTTPHeaders(), framing: .none,
                               keepAlive: false, expectsContinue: false)
        let writer = ResponseWriter(transport: transport, configuration: configuration, logger: context.logger)
        let outcome = await writer.write(response, for: head, requestID: requestID, keepAlive: false, corsHeaders: { _ in })
        let duration = ContinuousClock.now - start
        context.observer?.requestCompleted(method: HTTPMethod(rawValue: "INVALID"), route: "unmatched",
                                           status: error.status, bytesSent: outcome.bytesSent, duration: duration)
        logAccess(method: "-", path: "-", queryNames: [], status: error.status, bytes: outcome.bytesSent,
                  duration: duration, requestID: requestID, problem: error.detail)
    }

    /// One line per request: the path and only the NAMES of query parameters (values may be
    /// secrets); never a header value.
    private func logAccess(method: String, path: String, queryNames: [String], status: Int, bytes: Int,
                           duration: Duration, requestID: String, problem: String? = nil) {
        context.logger.log(level: configuration.accessLogLevel, "\(method) \(path)\(queryNames.isEmpty ? "" : "?" + queryNames.joined(separator: "&")) \(status)", metadata: {
            var metadata: Logger.Metadata = [
                "request-id": "\(requestID)",
                "status": "\(status)",
                "bytes": "\(bytes)",
                "duration-ms": "\(Self.milliseconds(duration))",
                "remote": "\(transport.remoteAddress)",
            ]
            if let problem { metadata["problem"] = "\(problem)" }
            return metadata
        }())
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        return "\(micros / 1000).\(String(micros % 1000 + 1000).dropFirst())"
    }
}
