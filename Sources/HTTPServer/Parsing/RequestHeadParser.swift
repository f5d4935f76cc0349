/// Assembles a request head from bytes as they arrive: line by line, each line checked as
/// soon as its LF is in, every limit enforced before the head is complete.
struct RequestHeadParser: Sendable {
    let limits: HTTPParserLimits
    /// Bytes of this head already parsed, relative to the buffer's reader index.
    private var parsedCount = 0
    /// Where the search for the next LF resumes, so that no byte is scanned twice.
    private var scanCount = 0
    private var requestLine: RequestLineParser.RequestLine?
    private var fields = HTTPHeaders()
    private var headerBytes = 0
    private var skippedEmptyLines = 0

    init(limits: HTTPParserLimits) { self.limits = limits }

    /// Whether no byte of a head has arrived yet (the connection is idle between requests).
    var hasStarted: Bool { parsedCount > 0 || scanCount > 0 }

    /// Parses what `buffer` holds. Returns the head once complete, consuming its bytes; nil
    /// when more bytes are needed (nothing consumed).
    mutating func parse(_ buffer: inout InboundBuffer) throws(HTTPParseError) -> RequestHead? {
        while true {
            guard let lf = buffer.firstIndex(of: ByteClass.lf, from: scanCount) else {
                scanCount = buffer.readableCount
                try checkPartialLine(length: buffer.readableCount - parsedCount, buffer: buffer)
                return nil
            }
            // Every line ends in CRLF; a lone LF (or CR elsewhere, caught below) is refused.
            guard lf > parsedCount, buffer[lf - 1] == ByteClass.cr else { throw .invalidLineEnding }
            let line = buffer.slice(from: parsedCount, count: lf - 1 - parsedCount)
            let lineLength = lf + 1 - parsedCount
            parsedCount = lf + 1
            scanCount = parsedCount

            if requestLine == nil {
                if line.isEmpty {
                    // RFC 9112 §2.2: ignore at least one empty line before the request line.
                    skippedEmptyLines += 1
                    guard skippedEmptyLines <= 4 else { throw .invalidRequestLine }
                    continue
                }
                if line.contains(ByteClass.cr) { throw .invalidLineEnding }
                requestLine = try RequestLineParser.parse(line, limits: limits)
            } else if line.isEmpty {
                let head = try HeadValidator.validate(requestLine!, fields: fields)
                buffer.consume(parsedCount)
                self = RequestHeadParser(limits: limits)
                return head
            } else {
                headerBytes += lineLength
                guard headerBytes <= limits.maxHeaderBytes else { throw .headerSectionTooLarge(limit: limits.maxHeaderBytes) }
                guard fields.count < limits.maxHeaderCount else { throw .tooManyHeaders(limit: limits.maxHeaderCount) }
                let field = try FieldLineParser.parse(line)
                fields.add(field.name, field.value)
            }
        }
    }

    /// Limits for a line whose LF has not arrived, so a client cannot make us buffer forever.
    private func checkPartialLine(length: Int, buffer: InboundBuffer) throws(HTTPParseError) {
        if requestLine == nil {
            // Method, two spaces and "HTTP/1.1" need little beyond the target itself.
            guard length > limits.maxTargetLength + 64 else { return }
            var firstSpace: Int?
            for offset in 0..<min(length, 64) where buffer[parsedCount + offset] == ByteClass.space {
                firstSpace = offset
                break
            }
            throw firstSpace == nil ? .invalidMethod : .targetTooLong(limit: limits.maxTargetLength)
        } else if headerBytes + length > limits.maxHeaderBytes {
            throw .headerSectionTooLarge(limit: limits.maxHeaderBytes)
        }
    }
}
