import Logging

/// One client connection: reads requests in order, runs their handlers, writes responses,
/// keeps the connection alive when HTTP allows it. Runs on its own task.
struct HTTPConnection: Sendable {
    let handle: ConnectionRegistry.Handle
    let transport: any HTTPTransport
    let context: ConnectionContext
    let acceptedAt: ContinuousClock.Instant


    func run() async {
        defer {
            transport.close()
            context.registry.unregister(handle)
        }
        let reader = RequestReader(transport: transport, configuration: context.configuration)
        let headerTimeout = handle.onProbation
            ? min(context.configuration.headerTimeout, context.configuration.probationHeaderTimeout)
            : context.configuration.headerTimeout
        var firstDeadline: ContinuousClock.Instant? = acceptedAt + headerTimeout
        while context.registry.enterIdle(handle) {
            let head: RequestHead?
            do {
                head = try await reader.nextHead(firstDeadline: firstDeadline)
            } catch {
                await answerUnreadable(error, origin: context.cors.isEnabled ? reader.originOfRejectedHead() : nil)
                if case .malformed = error { await lingerBeforeClose() }
                return
            }
            guard let head else { return }
            firstDeadline = nil
            context.registry.enterBusy(handle)
            switch await serve(head, reader: reader) {
            case .keepAlive:
                // A connection let in on probation (the unauthenticated share was full) stays
                // only if its request authenticated.
                if handle.onProbation, !context.registry.isAuthenticated(handle) {
                    context.observer?.connectionRejected(reason: "probation")
                    return
                }
                continue
            case .close: return
            case .closeWithUnreadInput:
                await lingerBeforeClose()
                return
            }
        }
    }

    /// What happens to the connection after a response.
    private enum Next {
        case keepAlive
        case close
        /// Close, but the client may still be sending (an unread body): see `lingerBeforeClose`.
        case closeWithUnreadInput
    }

    /// How long and how much to keep reading from a client before closing on it.
    private static let lingerReadTimeout: Duration = .milliseconds(200)
    private static let lingerTotal: Duration = .seconds(2)
    private static let lingerBytes = 1 << 20

    /// Reads and discards what the client still sends, briefly, before closing. Closing a socket
    /// with unread input makes the kernel answer with RST, and an RST can destroy the response
    /// just written before the client has read it. Stops when the client goes quiet.
    private func lingerBeforeClose() async {
        let deadline = ContinuousClock.now + Self.lingerTotal
        var discarded = 0
        while discarded < Self.lingerBytes {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero,
                  let bytes = try? await transport.read(maxBytes: 65536, timeout: min(remaining, Self.lingerReadTimeout)),
                  !bytes.isEmpty else { return }
            discarded += bytes.count
        }
    }

    /// Serves one request and says what happens to the connection next.
    private func serve(_ head: RequestHead, reader: RequestReader) async -> Next {
        let start = ContinuousClock.now
        let requestID = RequestID.resolve(head.headers["X-Request-ID"])
        var keepAlive = head.keepAlive
        var route = "unmatched"
        var path = head.target
        var queryNames: [String] = []
        var bodyAbandoned = false

        var response: HTTPResponse
        do {
            if handle.onProbation, !head.headers.contains("Authorization"), !context.registry.isAuthenticated(handle) {
                // Only reserved slots were left: they are for requests that authenticate.
                bodyAbandoned = head.framing != .none
                keepAlive = false
                throw HTTPError(status: 503, title: "Service Unavailable",
                                detail: "The server is busy with unauthenticated connections; only authenticated requests are served now.",
                                headers: ["Retry-After": "1"])
            }
            var contentLength: Int?
            switch head.framing {
            case .none: contentLength = 0
            case .length(let length):
                contentLength = length
                // Too large to read: answer at once, never read the body, close afterwards.
                guard length <= context.configuration.maxRequestBodyBytes else {
                    bodyAbandoned = true
                    throw HTTPError.contentTooLarge(limit: context.configuration.maxRequestBodyBytes)
                }
            case .chunked: contentLength = nil
            }
            let body = head.framing == .none
                ? HTTPRequestBody.empty
                : HTTPRequestBody(contentLength: contentLength, source: ConnectionBodySource(reader: reader))
            let request = try HTTPRequest(method: head.method, target: head.target, version: head.version,
                                          headers: head.headers, body: body, requestID: requestID,
                                          remoteAddress: transport.remoteAddress,
                                          clientAddress: ClientAddress.resolve(
                                              peer: handle.client, headers: head.headers,
                                              trustedProxies: context.configuration.trustedProxies))
            path = request.path
            queryNames = request.query.names
            if context.cors.isEnabled, CORSPolicy.isPreflight(request) {
                let methods = context.router.allowedMethods(for: request.pathSegments)
                if !methods.isEmpty,
                   let preflight = context.cors.preflightResponse(origin: head.headers["Origin"], methods: methods) {
                    response = preflight
                } else {
                    var routed = request
                    let resolved = context.router.resolve(&routed)
                    route = resolved.route
                    response = try await resolved.handler(routed)
                }
            } else {
                var routed = request
                let resolved = context.router.resolve(&routed)
                route = resolved.route
                response = try await resolved.handler(routed)
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

        // A streamed response may read the request body while it writes (an echo, a transform),
        // so its body is finished after the stream, not before; a body left unread then still
        // closes the connection, only without `Connection: close` in a head already sent.
        if head.headers.contains("Authorization"), Self.provesAuthentication(response.status) {
            context.registry.markAuthenticated(handle)
        }
        let streams = if case .stream = response.body, head.method != .head { true } else { false }
        var bodyFinished = bodyAbandoned ? false : (streams || !reader.hasOpenBody ? true : await reader.finishBody())
        keepAlive = keepAlive && bodyFinished && !context.registry.isDraining

        if streams { reader.withholdContinue() }
        let writer = ResponseWriter(transport: transport, context: context)
        var outcome = await writer.write(response, for: head, requestID: requestID, keepAlive: keepAlive,
                                         corsHeaders: context.cors.responseHeaders(origin: head.headers["Origin"]))
        if streams, !bodyAbandoned, reader.hasOpenBody {
            bodyFinished = await reader.finishBody()
            outcome.keepAlive = outcome.keepAlive && bodyFinished
        }
        let duration = ContinuousClock.now - start

        context.observer?.requestCompleted(method: head.method, route: route, status: response.status,
                                           bytesSent: outcome.bytesSent, duration: duration)
        logAccess(method: head.method.rawValue, path: path, queryNames: queryNames, status: response.status,
                  bytes: outcome.bytesSent, duration: duration, requestID: requestID)
        if outcome.keepAlive { return .keepAlive }
        return bodyFinished ? .close : .closeWithUnreadInput
    }

    /// Whether a response to a request carrying credentials shows they were accepted: a refusal
    /// (401, 403, 407, 429) does not, and neither does a server error, where they may not have
    /// been checked at all.
    private static func provesAuthentication(_ status: Int) -> Bool {
        status < 500 && status != 401 && status != 403 && status != 407 && status != 429
    }

    /// Answers a request that could not be parsed (or timed out while sending its head), then
    /// the caller closes: after a framing error nothing later on the connection can be trusted.
    /// `origin` is the rejected head's `Origin`, so that a browser can read the error.
    private func answerUnreadable(_ failure: HeadReadFailure, origin: String?) async {
        let start = ContinuousClock.now
        let error: HTTPError
        switch failure {
        case .malformed(let parseError): error = parseError.httpError
        case .headerTimeout:
            error = HTTPError(status: 408, detail: "The request header section did not arrive within the header timeout.")
        }
        let requestID = RequestID.generate()
        let response = error.response
        let head = RequestHead(method: .get, target: "*", version: .http1_1, headers: HTTPHeaders(), framing: .none,
                               keepAlive: false, expectsContinue: false)
        let writer = ResponseWriter(transport: transport, context: context)
        let outcome = await writer.write(response, for: head, requestID: requestID, keepAlive: false,
                                         corsHeaders: context.cors.responseHeaders(origin: origin))
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
        context.logger.log(level: context.configuration.accessLogLevel, "\(method) \(path)\(queryNames.isEmpty ? "" : "?" + queryNames.joined(separator: "&")) \(status)", metadata: {
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
