/// Turns the bytes an IMAP server sends into `Response` values.
///
/// Feed whatever each read returned to `append`, then call `next()` until it returns nil. Reads
/// may split a response anywhere (inside CRLF, a literal or its `{n}` marker). A response that
/// does not parse is skipped with a non-fatal error and the following one is returned by the next
/// call; `literalTooLarge` and `lineTooLong` are fatal and are thrown again by every later call.
public struct ResponseParser: Sendable {
    private var framer: ResponseFramer
    private let limits: ParserLimits
    private var fatalError: IMAPParseError?

    /// A parser with the given limits (`ParserLimits.default` unless a caller needs otherwise).
    public init(limits: ParserLimits = .default) {
        self.limits = limits
        self.framer = ResponseFramer(limits: limits)
    }

    /// Adds bytes received from the server.
    public mutating func append(_ bytes: [UInt8]) { framer.append(bytes) }

    /// Adds bytes received from the server.
    public mutating func append(_ bytes: ArraySlice<UInt8>) { framer.append(bytes) }

    /// Adds bytes received from the server (straight from a read buffer, without an array).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) { framer.append(bytes) }

    /// Bytes received but not yet returned as responses.
    public var bufferedByteCount: Int { framer.bufferedCount }

    /// The next complete response, or nil when more bytes are needed. After a non-fatal error,
    /// calling next() again continues with the following response.
    public mutating func next() throws(IMAPParseError) -> Response? {
        if let fatalError { throw fatalError }
        while true {
            let frame: Frame
            do {
                guard let complete = try framer.nextFrame() else { return nil }
                frame = complete
            } catch {
                fatalError = error
                throw error
            }
            let outcome = parse(frame)
            framer.consume(frame)
            switch outcome {
            case .response(let response): return response
            case .empty: continue
            case .failure(let error): throw error
            }
        }
    }

    private enum Outcome {
        case response(Response)
        /// A blank line (or only NULs): nothing to report.
        case empty
        case failure(IMAPParseError)
    }

    private func parse(_ frame: Frame) -> Outcome {
        let maxDepth = limits.maxNestingDepth
        return framer.buffer.withUnsafeBufferPointer { bytes -> Outcome in
            Self.parse(frame, in: bytes, maxDepth: maxDepth)
        }
    }

    private static func parse(_ frame: Frame, in bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Outcome {
        var parser = GrammarParser(bytes: bytes, frame: frame, maxDepth: maxDepth)
        guard !parser.isAtEnd else { return .empty }
        do throws(GrammarError) {
            let response = try parser.response()
            parser.skipSpaces()
            guard parser.isAtEnd else {
                throw parser.fail("unexpected bytes after the response")
            }
            return .response(response)
        } catch {
            switch error {
            case .nestingTooDeep:
                return .failure(.nestingTooDeep(limit: maxDepth))
            case .malformed(let reason, let position):
                let line = Array(bytes[frame.start..<frame.end])
                return .failure(.malformed(reason: reason, position: position, line: line))
            }
        }
    }
}
