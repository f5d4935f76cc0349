/// A parsed `Content-Type` (RFC 2045 §5).
public struct ContentType: Sendable, Hashable {
    /// Lowercased top-level type (`text`, `multipart`, `image`).
    public var type: String
    /// Lowercased subtype (`plain`, `mixed`, `jpeg`).
    public var subtype: String
    /// Parameters with RFC 2231 and RFC 2047 decoding applied.
    public var parameters: MIMEParameters

    /// A content type; type and subtype are lowercased.
    public init(type: String, subtype: String, parameters: MIMEParameters = MIMEParameters()) {
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
        self.parameters = parameters
    }

    /// `type/subtype`.
    public var mimeType: String { "\(type)/\(subtype)" }
    /// The `charset` parameter, if any.
    public var charset: String? { parameters["charset"] }
    /// The `boundary` parameter of a multipart, if any.
    public var boundary: String? { parameters["boundary"] }
    /// The `name` parameter (the filename old mailers put here).
    public var name: String? { parameters["name"] }

    /// Whether this is a `multipart/*` type.
    public var isMultipart: Bool { type == "multipart" }

    /// RFC 2045 §5.2: what a missing or unparseable header means.
    public static let defaultPlainText = ContentType(type: "text", subtype: "plain")

    /// Parses a header value; nil when it is not of the form `type/subtype`.
    public static func parse(_ value: String) -> ContentType? {
        var problems: [String] = []
        return parse(Array(value.utf8), problems: &problems)
    }

    static func parse(_ raw: [UInt8], problems: inout [String]) -> ContentType? {
        let parsed = ParameterizedValue(raw, problems: &problems)
        let pieces = parsed.value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2 else { return nil }
        let type = pieces[0].trimmingSpaces
        let subtype = pieces[1].trimmingSpaces
        guard !type.isEmpty, !subtype.isEmpty,
              !type.contains(where: { $0 == " " || $0 == "\t" }), !subtype.contains(where: { $0 == " " || $0 == "\t" })
        else { return nil }
        return ContentType(type: type, subtype: subtype, parameters: parsed.parameters)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(utf8Bytes: Array(utf8).trimmingWhitespace())
    }
}
