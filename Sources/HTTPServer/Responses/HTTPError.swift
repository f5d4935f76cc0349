import Foundation

/// An error a handler throws to answer with an RFC 9457 `application/problem+json` document.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status code.
    public var status: Int
    /// A URI naming the problem type (`https://imap-gateway.dev/problems/not-found`), or `about:blank`.
    public var type: String
    /// A short summary of the problem type; defaults to the status's reason phrase.
    public var title: String
    /// What happened this time, for a person; never secrets or internals.
    public var detail: String?
    /// Further members of the problem document (`"imap": "NO [NONEXISTENT] ..."`).
    public var extensions: [String: JSONValue]
    /// Headers to send along (`Retry-After`, `WWW-Authenticate`, `Allow`).
    public var headers: HTTPHeaders

    public init(status: Int, type: String = "about:blank", title: String? = nil, detail: String? = nil,
                extensions: [String: JSONValue] = [:], headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.type = type
        self.title = title ?? HTTPStatus.reasonPhrase(status)
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }

    public var description: String {
        "HTTP \(status) \(title)" + (detail.map { ": \($0)" } ?? "")
    }

    /// The problem document as a response.
    public var response: HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/problem+json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(ProblemDocument.encode(self)))
    }

    /// 413 for a body longer than `limit` bytes.
    public static func contentTooLarge(limit: Int) -> HTTPError {
        HTTPError(status: 413, title: "Content Too Large",
                  detail: "The request body is larger than the limit of \(limit) bytes.",
                  extensions: ["limit": .int(limit)])
    }
}

/// Renders RFC 9457 problem documents.
enum ProblemDocument {
    private struct Members: Encodable {
        let error: HTTPError

        struct Key: CodingKey {
            let stringValue: String
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(error.type, forKey: Key("type"))
            try container.encode(error.title, forKey: Key("title"))
            try container.encode(error.status, forKey: Key("status"))
            if let detail = error.detail { try container.encode(detail, forKey: Key("detail")) }
            let reserved: Set = ["type", "title", "status", "detail"]
            for (name, value) in error.extensions.sorted(by: { $0.key < $1.key }) where !reserved.contains(name) {
                try container.encode(value, forKey: Key(name))
            }
        }
    }

    static func encode(_ error: HTTPError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        if let data = try? encoder.encode(Members(error: error)) { return Array(data) }
        return Array(#"{"type":"about:blank","title":"Internal Server Error","status":500}"#.utf8)
    }
}
