/// Why a `?search=` query could not be compiled, and where: the API answers 400 with both.
public struct SearchSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 0-based offset, in `Character`s (grapheme clusters), of the offending spot in the query.
    public var position: Int
    /// What is wrong, phrased for the person who typed the query.
    public var message: String

    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "search syntax error at position \(position): \(message)" }
}
