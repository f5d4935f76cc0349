/// The decoded parameters of a `Content-Type` or `Content-Disposition` value, in order.
/// Names are lowercased (parameter names are case-insensitive, RFC 2045 §5.1).
public struct MIMEParameters: Sendable, Hashable {
    /// `(name, value)` pairs, names lowercased, RFC 2231 sections already joined and decoded.
    public var pairs: [(name: String, value: String)] { entries.map { ($0.name, $0.value) } }

    struct Entry: Sendable, Hashable {
        var name: String
        var value: String
    }

    private(set) var entries: [Entry] = []

    /// No parameters.
    public init() {}

    /// The value of a parameter, looked up case-insensitively.
    public subscript(_ name: String) -> String? {
        let wanted = name.lowercased()
        return entries.first { $0.name == wanted }?.value
    }

    /// Sets a parameter, replacing an earlier one of the same name.
    public mutating func set(_ name: String, _ value: String) {
        let key = name.lowercased()
        if let existing = entries.firstIndex(where: { $0.name == key }) {
            entries[existing].value = value
        } else {
            entries.append(Entry(name: key, value: value))
        }
    }

    /// Whether there are no parameters.
    public var isEmpty: Bool { entries.isEmpty }
}
