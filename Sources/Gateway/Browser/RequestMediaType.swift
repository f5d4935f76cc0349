import Foundation
import HTTPServer

/// CSRF hardening by media type: a body-carrying request (POST, PUT, PATCH) must say it sends
/// what the route reads, else 415.
///
/// A page on another site can make a browser send a POST without asking the gateway first
/// (no CORS preflight) only with `text/plain`, `application/x-www-form-urlencoded` or
/// `multipart/form-data`. When every JSON route refuses those, every cross-site write needs a
/// preflight, which only the configured origins pass. Checked for all routes in one place
/// (`wrapHandlers`), before authentication and before any IMAP traffic.
enum RequestMediaType {
    /// What a route reads, by route pattern, where it is not JSON.
    static let nonJSONRoutes: [String: [String]] = [
        "POST /folders/{folder}/messages": ["message/rfc822"],
    ]

    /// Methods whose requests carry a body the route reads.
    static let bodyMethods: Set<HTTPMethod> = [.post, .put, .patch]

    /// The media types `method pattern` accepts, or nil when the route takes no checked body.
    static func accepted(method: HTTPMethod, pattern: String) -> [String]? {
        guard bodyMethods.contains(method) else { return nil }
        return nonJSONRoutes["\(method.rawValue) \(pattern)"] ?? ["application/json"]
    }

    /// `handler` behind the check when the route takes a checked body; otherwise unchanged.
    static func checking(method: HTTPMethod, pattern: String, _ handler: @escaping HTTPHandler) -> HTTPHandler {
        guard let accepted = accepted(method: method, pattern: pattern) else { return handler }
        return { request in
            try check(request, accepts: accepted)
            return try await handler(request)
        }
    }

    /// 415 unless the request's `Content-Type` is one of `accepted` (`+json` types count as JSON).
    /// A request without a body and without `Content-Type` passes: it carries nothing to misread,
    /// and the route answers 400 if it needs a body.
    static func check(_ request: HTTPRequest, accepts accepted: [String]) throws(HTTPError) {
        let declared = request.headers["Content-Type"]
        let hasBody = request.body.contentLength.map { $0 > 0 } ?? true
        guard declared != nil || hasBody else { return }
        let mediaType = declared.map(Self.mediaType) ?? ""
        let matches = accepted.contains { wanted in
            mediaType == wanted || (wanted == "application/json" && mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
        }
        guard !matches else { return }
        let acceptHeader = request.method == .patch ? "Accept-Patch" : "Accept-Post"
        throw Problem.make(415, "unsupported-media-type", title: "Unsupported media type",
                           detail: declared == nil
                               ? "Send the body with Content-Type: \(accepted.joined(separator: " or "))."
                               : "This endpoint takes \(accepted.joined(separator: " or ")), not \(mediaType.isEmpty ? "an empty media type" : mediaType).",
                           extensions: ["accepted": .array(accepted.map { .string($0) })],
                           headers: HTTPHeaders([(acceptHeader, accepted.joined(separator: ", "))]))
    }

    /// `Application/JSON; charset=utf-8` → `application/json`.
    static func mediaType(_ contentType: String) -> String {
        String(contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: .whitespaces).lowercased()
    }
}
