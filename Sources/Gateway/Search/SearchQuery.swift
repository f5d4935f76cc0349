import IMAP

/// The `?search=` query language (docs/api.md), compiled to an IMAP `SearchKey`.
///
/// ```
/// query   = *SP [and *SP]             ; empty query = ALL
/// and     = or *(1*SP ["AND" 1*SP] or)  ; adjacent terms: AND (the word is optional)
/// or      = unary *(1*SP "OR" 1*SP unary)   ; binds tighter than AND
/// unary   = "-" unary / "(" and ")" / term
/// term    = quoted / word / name ":" value
/// ```
/// Every user string stays a Swift `String` inside the key; the IMAP encoder quotes or
/// literal-encodes it, so no query can inject IMAP syntax.
public enum SearchQuery {
    /// Longest query accepted, in characters: bounds the IMAP command the query turns into.
    public static let maximumLength = 2000
    /// Deepest nesting of groups and negations accepted: bounds the parser's recursion.
    public static let maximumDepth = 32

    /// Compiles `text` into a search key; an empty or all-blank query is `.all`.
    /// - Throws: `SearchSyntaxError` with the 0-based character position of the problem.
    public static func parse(_ text: String) throws(SearchSyntaxError) -> SearchKey {
        var parser = SearchParser(text)
        return try parser.parseQuery()
    }
}
