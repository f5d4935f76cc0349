import HTTPServer

/// The problem documents (RFC 9457) the gateway answers with; `type` is
/// `https://imap-gateway.dev/problems/<slug>`, the slug naming the situation.
public enum Problem {
    public static let typeBase = "https://imap-gateway.dev/problems/"

    /// A problem of the given slug.
    public static func make(_ status: Int, _ slug: String, title: String, detail: String?,
                            extensions: [String: JSONValue] = [:], headers: HTTPHeaders = HTTPHeaders()) -> HTTPError {
        HTTPError(status: status, type: typeBase + slug, title: title, detail: detail,
                  extensions: extensions, headers: headers)
    }

    /// 400 for a parameter that cannot be used; names the parameter.
    public static func badParameter(_ name: String, _ detail: String, extensions: [String: JSONValue] = [:]) -> HTTPError {
        var extensions = extensions
        extensions["parameter"] = .string(name)
        return make(400, "bad-parameter", title: "Bad parameter", detail: detail, extensions: extensions)
    }

    /// 401 with the challenge for the configured scheme.
    public static func unauthorized(_ detail: String, scheme: AuthScheme, imap: String? = nil) -> HTTPError {
        make(401, "unauthorized", title: "Unauthorized", detail: detail,
             extensions: imap.map { ["imap": .string($0)] } ?? [:],
             headers: ["WWW-Authenticate": scheme.challenge])
    }

    /// 404 for a folder, message or part that does not exist.
    public static func notFound(_ detail: String, imap: String? = nil) -> HTTPError {
        make(404, "not-found", title: "Not found", detail: detail, extensions: imap.map { ["imap": .string($0)] } ?? [:])
    }

    /// 409: a cursor or ETag from another UIDVALIDITY.
    public static func uidValidityChanged(folder: String, expected: UInt32, actual: UInt32) -> HTTPError {
        make(409, "uidvalidity-changed", title: "UIDVALIDITY changed",
             detail: "The folder '\(folder)' was recreated (UIDVALIDITY \(expected) is now \(actual)); start again without a cursor.",
             extensions: ["folder": .string(folder), "uidValidity": .int(Int(actual))])
    }

    /// 429 or 503 with `Retry-After` in whole seconds (at least 1).
    public static func retryLater(_ status: Int, _ slug: String, title: String, detail: String, after: Duration) -> HTTPError {
        let seconds = max(1, Int((Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18).rounded(.up)))
        return make(status, slug, title: title, detail: detail, extensions: ["retryAfter": .int(seconds)],
                    headers: ["Retry-After": String(seconds)])
    }
}

/// The authentication scheme a 401 challenges for.
public enum AuthScheme: Sendable {
    case basic
    case bearer
    /// Passthrough: HTTP Basic (IMAP password) or Bearer (OAuth 2.0 access token + `X-IMAP-User`).
    case basicOrBearer

    var challenge: String {
        switch self {
        case .basic: #"Basic realm="imap-gateway", charset="UTF-8""#
        case .bearer: #"Bearer realm="imap-gateway""#
        case .basicOrBearer: #"Basic realm="imap-gateway", charset="UTF-8", Bearer realm="imap-gateway""#
        }
    }
}
