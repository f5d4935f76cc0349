/// Caps that keep a hostile or broken server from exhausting memory or the stack.
public struct ParserLimits: Hashable, Sendable {
    /// Largest literal (`{n}`) accepted; a bigger one is fatal for the connection.
    public var maxLiteralSize: Int
    /// Deepest parenthesis nesting accepted inside one response (BODYSTRUCTURE recursion).
    public var maxNestingDepth: Int
    /// Longest response accepted, counting line bytes only (literal data excluded).
    public var maxLineLength: Int

    /// Creates limits; the defaults are 64 MiB literals, depth 64 and 1 MiB of line text.
    public init(maxLiteralSize: Int = 64 << 20, maxNestingDepth: Int = 64, maxLineLength: Int = 1 << 20) {
        self.maxLiteralSize = maxLiteralSize
        self.maxNestingDepth = maxNestingDepth
        self.maxLineLength = maxLineLength
    }

    /// 64 MiB literals, nesting depth 64, 1 MiB of line text per response.
    public static let `default` = ParserLimits()
}
