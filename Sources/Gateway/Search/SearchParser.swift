import IMAP

/// Recursive-descent parser for the search language; `SearchQuery.parse` is its front door.
///
/// It works on `Character`s so that error positions count what a person sees, and never
/// builds IMAP text: the result is a `SearchKey` holding the user's strings verbatim.
struct SearchParser {
    let characters: [Character]
    var index = 0

    init(_ text: String) {
        characters = Array(text)
    }

    var atEnd: Bool { index >= characters.count }
    var current: Character? { atEnd ? nil : characters[index] }

    func error(_ message: String, at position: Int) -> SearchSyntaxError {
        SearchSyntaxError(position: position, message: message)
    }

    // query = *SP [and *SP]
    mutating func parseQuery() throws(SearchSyntaxError) -> SearchKey {
        guard characters.count <= SearchQuery.maximumLength else {
            throw error("the query is longer than \(SearchQuery.maximumLength) characters", at: SearchQuery.maximumLength)
        }
        skipSpace()
        if atEnd { return .all }
        let key = try parseAnd(depth: 0)
        if !atEnd {
            // parseAnd stops only at the end or at a ")" it has no "(" for.
            throw error("')' without a matching '('", at: index)
        }
        return key
    }

    // and = or *(1*SP ["AND" 1*SP] or): stops before ")" or at the end. An explicit AND means
    // what juxtaposition means; people type it, and searching for the word "AND" would surprise them.
    mutating func parseAnd(depth: Int) throws(SearchSyntaxError) -> SearchKey {
        var keys: [SearchKey] = []
        while true {
            skipSpace()
            if atEnd || current == ")" { break }
            if isKeyword("AND", at: index) {
                let andPosition = index
                index += 3
                skipSpace()
                if keys.isEmpty || atEnd || current == ")" || isKeyword("OR", at: index) || isKeyword("AND", at: index) {
                    throw error("AND needs a term on each side", at: andPosition)
                }
            }
            keys.append(try parseOr(depth: depth))
        }
        return keys.count == 1 ? keys[0] : .and(keys)
    }

    // or = unary *(1*SP "OR" 1*SP unary), folded to the left: a OR b OR c = (a OR b) OR c.
    mutating func parseOr(depth: Int) throws(SearchSyntaxError) -> SearchKey {
        var key = try parseUnary(depth: depth)
        while true {
            let before = index
            skipSpace()
            guard isOrKeyword(at: index) else {
                index = before
                return key
            }
            let orPosition = index
            index += 2
            skipSpace()
            if atEnd || current == ")" || isOrKeyword(at: index) || isKeyword("AND", at: index) {
                throw error("OR needs a term on each side", at: orPosition)
            }
            key = .or(key, try parseUnary(depth: depth))
        }
    }

    // unary = "-" unary / "(" and ")" / term
    mutating func parseUnary(depth: Int) throws(SearchSyntaxError) -> SearchKey {
        let start = index
        // `depth` counts the groups and negations around this term: the docs allow 32 of them,
        // so the opener that would make the 33rd is the error (it used to be the 32nd).
        if current == "-" || current == "(", depth >= SearchQuery.maximumDepth {
            throw error("groups and negations are nested more than \(SearchQuery.maximumDepth) deep", at: index)
        }
        switch current {
        case "-":
            index += 1
            if atEnd || current!.isWhitespace || current == ")" {
                throw error("'-' must be followed directly by the term to exclude, as in -from:ann", at: start)
            }
            if isOrKeyword(at: index) || isKeyword("AND", at: index) {
                throw error("\(isOrKeyword(at: index) ? "OR" : "AND") needs a term on each side", at: index)
            }
            return .not(try parseUnary(depth: depth + 1))
        case "(":
            index += 1
            skipSpace()
            if current == ")" { throw error("empty group '()'", at: start) }
            let inner = try parseAnd(depth: depth + 1)
            guard current == ")" else { throw error("'(' without a matching ')'", at: start) }
            index += 1
            return inner
        default:
            if isOrKeyword(at: index) || isKeyword("AND", at: index) {
                throw error("\(isOrKeyword(at: index) ? "OR" : "AND") needs a term on each side", at: index)
            }
            return try parseTerm()
        }
    }

    // MARK: - Scanning

    mutating func skipSpace() {
        while let c = current, c.isWhitespace { index += 1 }
    }

    /// A bare word ends at white space, a parenthesis or a double quote.
    static func endsWord(_ c: Character) -> Bool {
        c.isWhitespace || c == "(" || c == ")" || c == "\""
    }

    /// `OR` in capitals, standing alone as a word, is the operator; `or` and `"OR"` are text.
    func isOrKeyword(at position: Int) -> Bool {
        isKeyword("OR", at: position)
    }

    /// `keyword` (capitals) standing alone as a word at `position`.
    func isKeyword(_ keyword: String, at position: Int) -> Bool {
        let letters = Array(keyword)
        let end = position + letters.count
        guard end <= characters.count, Array(characters[position..<end]) == letters else { return false }
        return end == characters.count || Self.endsWord(characters[end])
    }
}
