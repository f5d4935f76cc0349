/// The query string of a request target, as ordered name/value pairs.
///
/// Both `+` and `%20` decode to a space; a malformed escape is kept literally rather than
/// failing the request, so a handler sees what was sent and can reject it itself.
public struct QueryParameters: Sendable, Sequence {
    public typealias Pair = (name: String, value: String)

    private let pairs: [Pair]

    /// Parses `a=1&b=two+words&flag`; a name without `=` has the value "".
    public init(parsing query: Substring) {
        var pairs: [Pair] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring, value: Substring
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                name = part
                value = ""
            }
            pairs.append((
                name: PercentDecoding.decode(name, plusIsSpace: true) ?? String(name),
                value: PercentDecoding.decode(value, plusIsSpace: true) ?? String(value)
            ))
        }
        self.pairs = pairs
    }

    /// No parameters.
    public init() { pairs = [] }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    public func values(for name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The distinct parameter names, in order of first appearance (safe to log: no values).
    public var names: [String] {
        var seen = Set<String>()
        return pairs.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public func makeIterator() -> IndexingIterator<[Pair]> { pairs.makeIterator() }
}
