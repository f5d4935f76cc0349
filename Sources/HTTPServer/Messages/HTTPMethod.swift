/// An HTTP request method (RFC 9110 §9): any token, with the common ones as constants.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method token exactly as sent (methods are case-sensitive).
    public let rawValue: String

    /// Wraps a method token; no validation, the parser only produces valid tokens.
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let options = HTTPMethod(rawValue: "OPTIONS")
    public static let trace = HTTPMethod(rawValue: "TRACE")
    public static let connect = HTTPMethod(rawValue: "CONNECT")

    /// Methods this server recognises as HTTP methods: a resource that does not allow one answers
    /// 405 with `Allow`; any other token is answered with 501 (RFC 9110 §9.1, §15.6.2). These are
    /// the IANA HTTP Method Registry's entries (RFC 9110, 5789, WebDAV and its extensions, QUERY),
    /// so a client probing with PROPFIND or QUERY learns what the resource allows.
    static let recognised: Set<HTTPMethod> = Set(([.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect] as [HTTPMethod])
        + ["ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "COPY", "LABEL", "LINK", "LOCK", "MERGE",
           "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE", "MOVE", "ORDERPATCH", "PROPFIND",
           "PROPPATCH", "QUERY", "REBIND", "REPORT", "SEARCH", "UNBIND", "UNCHECKOUT", "UNLINK", "UNLOCK", "UPDATE",
           "UPDATEREDIRECTREF", "VERSION-CONTROL"].map(HTTPMethod.init(rawValue:)))

    public var description: String { rawValue }
}
