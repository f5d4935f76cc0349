import Sockets

/// Why reading the next request head stopped without a head.
enum HeadReadFailure: Error {
    /// The client sent something unparseable; answer with its status, then close.
    case malformed(HTTPParseError)
    /// The header section did not complete before its deadline (slowloris): 408, then close.
    case headerTimeout
}

/// The inbound half of a connection: reads the socket into the decoder, hands out heads
/// and body chunks, sends `100 Continue` when a handler first asks for the body.
///
/// Not an actor: hopping to an actor executor and back on every request cost measurable
/// throughput. The connection task and the handler (which runs on that same task) take turns;
/// `claim()` turns any overlapping use into an error instead of a data race.
// @unchecked Sendable: every method that touches the mutable state first takes the `inUse`
// token under a lock and releases it when done, so at most one task uses the state at a time,
// and the lock orders each hand-over between tasks.
final class RequestReader: @unchecked Sendable {
    private let inUse = Protected(false)
    private let transport: any HTTPTransport
    private let configuration: HTTPServerConfiguration
    private var decoder: HTTPRequestDecoder

    private enum BodyState {
        /// Between requests, or the request had no body left to read.
        case complete
        /// Body bytes (or the end marker) still to come.
        case pending
        /// Reading failed; the framing can no longer be trusted.
        case broken(HTTPError)
    }

    private enum ContinueState {
        case notExpected
        /// The client waits for 100 Continue before sending the body.
        case awaitingBodyRead
        case sent
        /// A final response went out first; the client will not get a 100 any more.
        case suppressed
        /// A streamed response's head went out before the body was asked for: a 100 now would
        /// follow the final status. A producer may still read what the client sends regardless.
        case withheld
    }

    private var body: BodyState = .complete
    private var continueState: ContinueState = .notExpected
    /// What the current body may still cost in waiting for the client (see `bodyTimeout`).
    private var bodyBudget = BodyBudget(timeout: .zero, graceBytesPerSecond: 1)
    /// Set while draining a body the handler left unread: reads stop at this instant.
    private var drainDeadline: ContinuousClock.Instant?

    init(transport: any HTTPTransport, configuration: HTTPServerConfiguration) {
        self.transport = transport
        self.configuration = configuration
        decoder = HTTPRequestDecoder(limits: configuration.parserLimits)
    }

    /// The next request head. Returns nil when the connection should end quietly: the peer
    /// closed, or it stayed idle past `idleTimeout` (the first request uses `firstDeadline`).
    func nextHead(firstDeadline: ContinuousClock.Instant?) async throws(HeadReadFailure) -> RequestHead? {
        guard claim() else { throw .malformed(.invalidRequestLine) }
        defer { release() }
        var headerDeadline = firstDeadline
        while true {
            let event: HTTPRequestDecoder.Event
            do {
                event = try decoder.next()
            } catch {
                throw .malformed(error)
            }
            switch event {
            case .head(let head):
                body = head.framing == .none ? .complete : .pending
                bodyBudget = BodyBudget(timeout: configuration.bodyTimeout,
                                        graceBytesPerSecond: configuration.bodyGraceBytesPerSecond)
                if head.framing == .none { _ = try? decoder.next() }  // consume the `.end`
                continueState = head.expectsContinue && head.framing != .none ? .awaitingBodyRead : .notExpected
                return head
            case .body, .end:
                // Unreachable: the connection finishes or abandons each body before the next head.
                throw .malformed(.invalidRequestLine)
            case .needMore:
                let idle = decoder.isIdle
                let timeout: Duration
                if idle, headerDeadline == nil {
                    timeout = configuration.idleTimeout
                } else {
                    // The whole header section shares one deadline, however slowly it trickles in.
                    let deadline = headerDeadline ?? ContinuousClock.now + configuration.headerTimeout
                    headerDeadline = deadline
                    timeout = deadline - ContinuousClock.now
                    guard timeout > .zero else {
                        if idle { return nil }
                        throw .headerTimeout
                    }
                }
                let bytes: [UInt8]
                do {
                    bytes = try await transport.read(maxBytes: configuration.readChunkBytes, timeout: timeout)
                } catch SocketError.timedOut {
                    if idle { return nil }
                    throw .headerTimeout
                } catch {
                    return nil
                }
                guard !bytes.isEmpty else { return nil }
                decoder.feed(bytes)
            }
        }
    }

    /// The `Origin` among the bytes of a head that could not be parsed (see `OriginSniffer`).
    func originOfRejectedHead() -> String? {
        guard claim() else { return nil }
        defer { release() }
        let buffer = decoder.buffer
        return OriginSniffer.origin(in: buffer.slice(from: 0, count: buffer.readableCount))
    }

    /// The next chunk of the current body, nil at its end. Errors are `HTTPError`s a handler
    /// can let propagate: 413 over the limit, 400 broken framing, 408 a stalled client.
    func nextBodyChunk() async throws -> [UInt8]? {
        guard claim() else {
            throw HTTPError(status: 500, detail: "The request body was read from two tasks at once.")
        }
        defer { release() }
        return try await readBodyChunk()
    }

    private func claim() -> Bool {
        inUse.withLock { busy in
            if busy { return false }
            busy = true
            return true
        }
    }

    private func release() {
        inUse.withLock { $0 = false }
    }

    /// The error that broke the current body, if reading it failed.
    var bodyFailure: HTTPError? {
        guard claim() else { return nil }
        defer { release() }
        if case .broken(let error) = body { return error }
        return nil
    }

    /// Called before a streamed response's head goes out: from then on no 100 Continue is sent.
    func withholdContinue() {
        guard claim() else { return }
        defer { release() }
        if case .awaitingBodyRead = continueState { continueState = .withheld }
    }

    /// Whether a body (or the 100 Continue decision) is still open; when not, `finishBody()`
    /// has nothing to do and need not be called.
    var hasOpenBody: Bool {
        guard claim() else { return true }
        defer { release() }
        if case .complete = body, case .notExpected = continueState { return false }
        return true
    }

    private func readBodyChunk() async throws -> [UInt8]? {
        switch body {
        case .complete: return nil
        case .broken(let error): throw error
        case .pending: break
        }
        if case .awaitingBodyRead = continueState {
            continueState = .sent
            do {
                try await transport.write(ResponseHead.continue[...], timeout: configuration.writeTimeout)
            } catch {
                return try fail(HTTPError(status: 400, detail: "The connection failed while sending 100 Continue."))
            }
        }
        while true {
            let event: HTTPRequestDecoder.Event
            do {
                event = try decoder.next()
            } catch {
                return try fail(error.httpError)
            }
            switch event {
            case .body(let slice):
                return Array(slice)
            case .end:
                body = .complete
                return nil
            case .head:
                return try fail(HTTPError(status: 500, detail: "The request decoder lost its place."))
            case .needMore:
                var timeout = bodyBudget.remaining
                if let drainDeadline { timeout = min(timeout, drainDeadline - .now) }
                guard timeout > .zero else {
                    return try fail(HTTPError(status: 408, detail: "The request body arrived too slowly: it ran out of the body timeout."))
                }
                let bytes: [UInt8]
                let waitStart = ContinuousClock.now
                do {
                    bytes = try await transport.read(maxBytes: configuration.readChunkBytes, timeout: timeout)
                    bodyBudget.spend(.now - waitStart, received: bytes.count)
                } catch SocketError.timedOut {
                    return try fail(HTTPError(status: 408, detail: "The request body arrived too slowly: it ran out of the body timeout."))
                } catch {
                    return try fail(HTTPError(status: 400, detail: "The connection failed before the request body was complete."))
                }
                guard !bytes.isEmpty else {
                    return try fail(HTTPError(status: 400, detail: "The connection closed before the request body was complete."))
                }
                decoder.feed(bytes)
            }
        }
    }

    private func fail(_ error: HTTPError) throws -> [UInt8]? {
        body = .broken(error)
        throw error
    }

    /// Called before the response head goes out. Returns whether the connection can stay open
    /// as far as the body is concerned: either it was read, or what is left was drained within
    /// `maxDrainBytes` and `drainTimeout`. A client still waiting for 100 Continue is not
    /// drained: it may never send the body, so the connection closes instead. So is one whose
    /// body does not arrive promptly: a handler that answered early (a 401) must not hand its
    /// connection slot to a client that sends the rest a byte at a time.
    func finishBody() async -> Bool {
        guard claim() else { return false }
        defer { release() }
        drainDeadline = .now + configuration.drainTimeout
        defer { drainDeadline = nil }
        switch continueState {
        case .awaitingBodyRead, .withheld:
            continueState = .suppressed
            if case .pending = body { return false }
        case .notExpected, .sent, .suppressed:
            break
        }
        switch body {
        case .complete: return true
        case .broken: return false
        case .pending: break
        }
        var drained = 0
        while true {
            let chunk: [UInt8]?
            do {
                chunk = try await readBodyChunk()
            } catch {
                return false
            }
            guard let chunk else { return true }
            drained += chunk.count
            if drained > configuration.maxDrainBytes {
                body = .broken(.contentTooLarge(limit: configuration.maxDrainBytes))
                return false
            }
        }
    }
}

/// The body of the request being served, pulled from the connection's reader on demand.
struct ConnectionBodySource: RequestBodySource {
    let reader: RequestReader

    func nextChunk() async throws -> [UInt8]? {
        try await reader.nextBodyChunk()
    }

    var failure: HTTPError? { reader.bodyFailure }
}

/// The waiting one request body may cost: `timeout` in all, plus one second for every
/// `graceBytesPerSecond` bytes received. Only time spent waiting for the client counts (not
/// the handler's own work between reads), so a client that trickles bytes runs out, however
/// regularly it sends, while an upload that keeps a sane rate never does.
struct BodyBudget {
    private var left: Duration
    private let graceBytesPerSecond: Int
    private var receivedSinceGrace = 0

    init(timeout: Duration, graceBytesPerSecond: Int) {
        left = timeout
        self.graceBytesPerSecond = max(1, graceBytesPerSecond)
    }

    var remaining: Duration { left }

    mutating func spend(_ waited: Duration, received: Int) {
        left -= waited
        receivedSinceGrace += received
        let seconds = receivedSinceGrace / graceBytesPerSecond
        if seconds > 0 {
            receivedSinceGrace -= seconds * graceBytesPerSecond
            left += .seconds(seconds)
        }
    }
}
