/// Why a request could not be read. Each error has its status; after any of them the
/// framing of the connection is in doubt, so the server answers and closes it.
enum HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request line is not `method SP target SP version`.
    case invalidRequestLine
    /// The method is not a token (RFC 9110 §9.1).
    case invalidMethod
    /// The target is empty or has bytes outside visible ASCII.
    case invalidTarget
    /// The target is longer than the limit.
    case targetTooLong(limit: Int)
    /// The version is not `HTTP/DIGIT.DIGIT`.
    case invalidVersion
    /// A well-formed version other than 1.x (HTTP/2.0 preface, HTTP/3.0, HTTP/0.9).
    case unsupportedVersion(String)
    /// A line ended with LF alone, or a CR stood elsewhere than before LF.
    case invalidLineEnding
    /// A field line started with whitespace: obsolete line folding (RFC 9112 §5.2).
    case obsoleteLineFolding
    /// Whitespace between field name and colon (RFC 9112 §5.1).
    case whitespaceBeforeColon
    /// A field name that is empty, not a token, or a line without a colon.
    case invalidHeaderName
    /// A field value holding NUL, CR, LF or another control character.
    case invalidHeaderValue(name: String)
    /// The header section is larger than the limit.
    case headerSectionTooLarge(limit: Int)
    /// More field lines than the limit.
    case tooManyHeaders(limit: Int)
    /// HTTP/1.1 request without `Host`.
    case missingHost
    /// More than one `Host` field.
    case duplicateHost
    /// A `Host` value that cannot be an authority.
    case invalidHost
    /// Both `Content-Length` and `Transfer-Encoding` (a request-smuggling vector).
    case contentLengthWithTransferEncoding
    /// A `Content-Length` that is not a non-negative decimal number.
    case invalidContentLength
    /// Several `Content-Length` values that differ.
    case conflictingContentLengths
    /// `Transfer-Encoding` whose final coding is not `chunked`, or `chunked` twice, or in HTTP/1.0.
    case invalidTransferEncoding(String)
    /// A transfer coding before `chunked` that this server does not implement (gzip...).
    case unsupportedTransferEncoding(String)
    /// An `Expect` other than `100-continue`.
    case unsupportedExpectation(String)
    /// A chunk-size line that is not hex digits with optional extensions.
    case invalidChunkSize
    /// A chunk size too large to be real, or a chunk line over its limit.
    case chunkSizeTooLarge
    /// Chunk data not followed by CRLF.
    case invalidChunkFraming
    /// The body is larger than the limit.
    case bodyTooLarge(limit: Int)

    /// The response status for this error.
    var status: Int {
        switch self {
        case .targetTooLong: 414
        case .unsupportedVersion: 505
        case .headerSectionTooLarge, .tooManyHeaders: 431
        case .unsupportedTransferEncoding: 501
        case .unsupportedExpectation: 417
        case .bodyTooLarge: 413
        default: 400
        }
    }

    /// What a client developer needs to know, for the problem document's `detail`.
    var description: String {
        switch self {
        case .invalidRequestLine: "The request line is not 'METHOD SP target SP HTTP/1.1' ending in CRLF."
        case .invalidMethod: "The method is not a valid token."
        case .invalidTarget: "The request target is empty or contains characters outside visible ASCII."
        case .targetTooLong(let limit): "The request target is longer than \(limit) bytes."
        case .invalidVersion: "The HTTP version is malformed."
        case .unsupportedVersion(let version): "\(version) is not supported; this server speaks HTTP/1.1."
        case .invalidLineEnding: "A line ends with a bare LF or contains a bare CR; lines end with CRLF."
        case .obsoleteLineFolding: "A header line starts with whitespace (obsolete line folding is not accepted)."
        case .whitespaceBeforeColon: "A header field name is followed by whitespace before the colon."
        case .invalidHeaderName: "A header line has no colon or an invalid field name."
        case .invalidHeaderValue(let name): "The value of header '\(name)' contains a control character."
        case .headerSectionTooLarge(let limit): "The header section is larger than \(limit) bytes."
        case .tooManyHeaders(let limit): "The request has more than \(limit) header fields."
        case .missingHost: "An HTTP/1.1 request needs a Host header."
        case .duplicateHost: "The request has more than one Host header."
        case .invalidHost: "The Host header is not a valid host[:port]."
        case .contentLengthWithTransferEncoding: "Content-Length and Transfer-Encoding must not both be present."
        case .invalidContentLength: "Content-Length is not a non-negative decimal number."
        case .conflictingContentLengths: "The request has differing Content-Length values."
        case .invalidTransferEncoding(let value): "Transfer-Encoding '\(value)' does not end in a single 'chunked'."
        case .unsupportedTransferEncoding(let value): "Transfer-Encoding '\(value)' is not implemented; only 'chunked' is."
        case .unsupportedExpectation(let value): "Expect '\(value)' is not supported; only '100-continue' is."
        case .invalidChunkSize: "A chunk-size line is malformed."
        case .chunkSizeTooLarge: "A chunk size or chunk line is too large."
        case .invalidChunkFraming: "Chunk data is not followed by CRLF."
        case .bodyTooLarge(let limit): "The request body is larger than the limit of \(limit) bytes."
        }
    }

    /// The problem document sent for this error.
    var httpError: HTTPError {
        if case .bodyTooLarge(let limit) = self { return .contentTooLarge(limit: limit) }
        return HTTPError(status: status, detail: description)
    }
}
