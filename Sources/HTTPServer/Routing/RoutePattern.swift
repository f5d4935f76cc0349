/// A path pattern such as `/folders/{folder}/messages/{uid}`: literal segments and placeholders.
struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]
    let description: String

    init(_ pattern: String) {
        description = pattern
        var segments: [Segment] = []
        if pattern.hasPrefix("/"), pattern.count > 1 {
            for part in pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
                if part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 {
                    segments.append(.parameter(String(part.dropFirst().dropLast())))
                } else {
                    segments.append(.literal(String(part)))
                }
            }
        }
        self.segments = segments
    }

    /// The placeholder values when the decoded `pathSegments` fit this pattern, else nil.
    func match(_ pathSegments: [String]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, value) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let literal):
                guard literal == value else { return nil }
            case .parameter(let name):
                // An empty segment (`/folders//messages`) never fills a placeholder.
                guard !value.isEmpty else { return nil }
                parameters[name] = value
            }
        }
        return parameters
    }
}
