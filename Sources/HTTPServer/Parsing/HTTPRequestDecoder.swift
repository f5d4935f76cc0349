/// Turns a connection's bytes into requests: a head, then its body in pieces, then `end`,
/// then the next head. Pure: feed it bytes, ask for the next event; no I/O.
struct HTTPRequestDecoder: Sendable {
    enum Event: Equatable {
        /// More bytes are needed; feed them and ask again.
        case needMore
        /// A complete, validated request head.
        case head(RequestHead)
        /// A piece of the current request's body (already de-chunked).
        case body(ArraySlice<UInt8>)
        /// The current request's body is complete (immediately after `head` when there is none).
        case end
    }

    private enum State: Sendable {
        case head(RequestHeadParser)
        case fixed(remaining: Int)
        case chunked(ChunkedDecoder)
        case bodyDone
    }

    let limits: HTTPParserLimits
    private(set) var buffer = InboundBuffer()
    private var state: State
    private var bodyBytes = 0

    init(limits: HTTPParserLimits) {
        self.limits = limits
        state = .head(RequestHeadParser(limits: limits))
    }

    /// Adds bytes read from the connection.
    mutating func feed(_ bytes: [UInt8]) {
        buffer.append(bytes)
    }

    /// Whether the decoder is between requests with no byte of the next one buffered.
    var isIdle: Bool {
        if case .head(let parser) = state { return !parser.hasStarted && buffer.isEmpty }
        return false
    }

    /// Whether a head is being waited for (possibly partly received).
    var isReadingHead: Bool {
        if case .head = state { return true }
        return false
    }

    mutating func next() throws(HTTPParseError) -> Event {
        switch state {
        case .head(var parser):
            guard let head = try parser.parse(&buffer) else {
                state = .head(parser)
                return .needMore
            }
            bodyBytes = 0
            switch head.framing {
            case .none: state = .bodyDone
            case .length(let length): state = .fixed(remaining: length)
            case .chunked: state = .chunked(ChunkedDecoder(maxTrailerBytes: limits.maxHeaderBytes))
            }
            return .head(head)
        case .fixed(let remaining):
            guard remaining <= limits.maxBodyBytes - bodyBytes else { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
            guard !buffer.isEmpty else { return .needMore }
            let count = min(remaining, buffer.readableCount)
            let data = buffer.slice(from: 0, count: count)
            buffer.consume(count)
            bodyBytes += count
            state = count == remaining ? .bodyDone : .fixed(remaining: remaining - count)
            return .body(data)
        case .chunked(var decoder):
            let event = try decoder.next(&buffer)
            switch event {
            case .needMore:
                state = .chunked(decoder)
                return .needMore
            case .data(let data):
                bodyBytes += data.count
                guard bodyBytes <= limits.maxBodyBytes else { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
                state = .chunked(decoder)
                return .body(data)
            case .end:
                state = .head(RequestHeadParser(limits: limits))
                return .end
            }
        case .bodyDone:
            state = .head(RequestHeadParser(limits: limits))
            return .end
        }
    }
}
