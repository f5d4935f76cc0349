import Foundation

/// A response a handler returns: status, headers and body.
///
/// The server adds `Date`, `Server`, `Content-Length`/`Transfer-Encoding`, `Connection`,
/// `X-Request-ID` and CORS headers; a handler sets only what is specific to it.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: HTTPResponseBody

    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: HTTPResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `value` as `application/json` (slashes unescaped, keys sorted so equal values give equal
    /// bytes). An encoding failure becomes a 500 problem.
    public static func json(_ value: some Encodable, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        guard let data = try? encoder.encode(value) else {
            return HTTPError(status: 500, detail: "The response could not be encoded as JSON.").response
        }
        return json(bytes: Array(data), status: status, headers: headers)
    }

    /// Ready-encoded JSON bytes as `application/json`, for hot paths that skip `JSONEncoder`.
    public static func json(bytes: [UInt8], status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(bytes))
    }

    /// Plain text, `text/plain; charset=utf-8` unless another `contentType` is given.
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8",
                            headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(text.utf8)))
    }

    /// 204 No Content.
    public static func noContent(headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        HTTPResponse(status: 204, headers: headers, body: .empty)
    }

    /// A streamed body of unknown or known length with the given content type.
    public static func stream(contentType: String, contentLength: Int? = nil, status: Int = 200,
                              headers: HTTPHeaders = HTTPHeaders(),
                              _ produce: @escaping @Sendable (any HTTPBodyWriter) async throws -> Void) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: .stream(contentLength: contentLength, produce))
    }
}
