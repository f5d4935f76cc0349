/// One header field, in message order.
public struct MIMEHeader: Sendable, Hashable {
    /// The field name as written (`Subject`, `X-Mailer`).
    public var name: String
    /// The value unfolded, with RFC 2047 words and raw 8-bit text decoded to Unicode.
    public var value: String
    /// The value unfolded but not RFC 2047-decoded (8-bit bytes already read as UTF-8 or
    /// windows-1252). Structured parsers (addresses, parameters) start from this.
    public var rawValue: String

    /// Creates a header field.
    public init(name: String, value: String, rawValue: String) {
        self.name = name
        self.value = value
        self.rawValue = rawValue
    }
}

extension Array where Element == MIMEHeader {
    /// The first header with this name, compared case-insensitively.
    public func first(named name: String) -> MIMEHeader? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }
    }

    /// All headers with this name, in order.
    public func all(named name: String) -> [MIMEHeader] {
        let wanted = name.lowercased()
        return filter { $0.name.lowercased() == wanted }
    }
}
