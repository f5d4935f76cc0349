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

/// Renders RFC 9457 problem documents with their members in one stable order: `type`, `title`,
/// `status`, `detail`, then the extensions sorted by name (nested objects with sorted keys), so
/// the same problem is the same bytes on every request (JSONEncoder alone orders keys by hash).
enum ProblemDocument {
    static func encode(_ error: HTTPError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        var members: [(String, JSONValue)] = [("type", .string(error.type)), ("title", .string(error.title)),
                                              ("status", .int(error.status))]
        if let detail = error.detail { members.append(("detail", .string(detail))) }
        let reserved: Set = ["type", "title", "status", "detail"]
        for (name, value) in error.extensions.sorted(by: { $0.key < $1.key }) where !reserved.contains(name) {
            members.append((name, value))
        }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, (name, value)) in members.enumerated() {
            guard let key = try? encoder.encode(name), let encoded = try? encoder.encode(value) else {
                return Array(#"{"type":"about:blank","title":"Internal Server Error","status":500}"#.utf8)
            }
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(key)
            out.append(UInt8(ascii: ":"))
            out += Array(encoded)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
