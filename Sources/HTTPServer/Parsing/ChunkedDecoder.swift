import Codecs

/// Decodes the chunked transfer coding (RFC 9112 §7.1):
///
///     chunked-body = *chunk last-chunk trailer-section CRLF
///     chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
///     last-chunk   = 1*("0") [ chunk-ext ] CRLF
///
/// Extensions are checked and ignored; trailer fields are checked and discarded.
struct ChunkedDecoder: Sendable {
    enum Event: Equatable {
        case needMore
        case data(ArraySlice<UInt8>)
        case end
    }

    private enum State: Sendable {
        case sizeLine
        case data(remaining: Int)
        case dataCRLF
        case trailers(bytes: Int)
        case done
    }

    private var state: State = .sizeLine
    /// Where the search for LF resumes within the current line.
    private var scanCount = 0
    let maxTrailerBytes: Int

    init(maxTrailerBytes: Int) { self.maxTrailerBytes = maxTrailerBytes }

    mutating func next(_ buffer: inout InboundBuffer) throws(HTTPParseError) -> Event {
        while true {
            switch state {
            case .sizeLine:
                guard let line = try takeLine(&buffer, limit: HTTPParserLimits.maxChunkLineBytes, tooLong: .chunkSizeTooLarge) else {
                    return .needMore
                }
                let size = try Self.parseSizeLine(line)
                state = size == 0 ? .trailers(bytes: 0) : .data(remaining: size)
            case .data(let remaining):
                guard !buffer.isEmpty else { return .needMore }
                let count = min(remaining, buffer.readableCount)
                let data = buffer.slice(from: 0, count: count)
                buffer.consume(count)
                state = remaining == count ? .dataCRLF : .data(remaining: remaining - count)
                return .data(data)
            case .dataCRLF:
                guard buffer.readableCount >= 2 else {
                    if buffer.readableCount == 1, buffer[0] != ByteClass.cr { throw .invalidChunkFraming }
                    return .needMore
                }
                guard buffer[0] == ByteClass.cr, buffer[1] == ByteClass.lf else { throw .invalidChunkFraming }
                buffer.consume(2)
                state = .sizeLine
            case .trailers(let bytes):
                let remainingAllowance = maxTrailerBytes - bytes
                guard let line = try takeLine(&buffer, limit: remainingAllowance,
                                              tooLong: .headerSectionTooLarge(limit: maxTrailerBytes)) else {
                    return .needMore
                }
                if line.isEmpty {
                    state = .done
                    return .end
                }
                // Trailer fields obey the field-line rules; a smuggled request line would not.
                _ = try FieldLineParser.parse(line)
                state = .trailers(bytes: bytes + line.count + 2)
            case .done:
                return .end
            }
        }
    }

    /// Takes one CRLF-terminated line (without CRLF) off the buffer, or nil if incomplete.
    private mutating func takeLine(_ buffer: inout InboundBuffer, limit: Int,
                                   tooLong: HTTPParseError) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        guard let lf = buffer.firstIndex(of: ByteClass.lf, from: scanCount) else {
            scanCount = buffer.readableCount
            if buffer.readableCount > limit { throw tooLong }
            return nil
        }
        guard lf + 1 <= limit else { throw tooLong }
        guard lf > 0, buffer[lf - 1] == ByteClass.cr else { throw .invalidLineEnding }
        let line = buffer.slice(from: 0, count: lf - 1)
        // Copy out before consuming: consuming may release the storage the slice points into.
        let owned = Array(line)[...]
        buffer.consume(lf + 1)
        scanCount = 0
        if owned.contains(ByteClass.cr) { throw .invalidLineEnding }
        return owned
    }

    /// chunk-size [ chunk-ext ]   with chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )
    static func parseSizeLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var index = line.startIndex
        var size = 0
        var significantDigits = 0
        while index < line.endIndex, let digit = HexDigit.value(line[index]) {
            if significantDigits > 0 || digit != 0 { significantDigits += 1 }
            // 15 hex digits is 2^60 bytes: anything larger is an attack, not a body.
            guard significantDigits <= 15 else { throw .chunkSizeTooLarge }
            size = size << 4 | Int(digit)
            index += 1
        }
        guard index > line.startIndex else { throw .invalidChunkSize }
        guard index < line.endIndex else { return size }
        // Extensions: whitespace then ';', and nothing but visible text after it.
        var rest = index
        while rest < line.endIndex, ByteClass.isWhitespace(line[rest]) { rest += 1 }
        guard rest < line.endIndex, line[rest] == UInt8(ascii: ";") else { throw .invalidChunkSize }
        for byte in line[rest...] where !ByteClass.isFieldValue(byte) { throw .invalidChunkSize }
        return size
    }
}
