/// A parsed `Content-Disposition` (RFC 2183).
public struct ContentDisposition: Sendable, Hashable {
    /// Lowercased disposition type (`inline`, `attachment`, or whatever the sender wrote).
    public var kind: String
    /// Parameters with RFC 2231 and RFC 2047 decoding applied.
    public var parameters: MIMEParameters

    /// A disposition; the kind is lowercased.
    public init(kind: String, parameters: MIMEParameters = MIMEParameters()) {
        self.kind = kind.lowercased()
        self.parameters = parameters
    }

    /// The `filename` parameter, RFC 2231 (`filename*`) already applied.
    public var filename: String? { parameters["filename"] }

    /// Parses a header value (an empty disposition type is kept as "").
    public static func parse(_ value: String) -> ContentDisposition {
        var problems: [String] = []
        return parse(Array(value.utf8), problems: &problems)
    }

    static func parse(_ raw: [UInt8], problems: inout [String]) -> ContentDisposition {
        let parsed = ParameterizedValue(raw, problems: &problems)
        return ContentDisposition(kind: parsed.value, parameters: parsed.parameters)
    }
}
