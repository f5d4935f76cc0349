import IMAP

// Terms: quoted text, bare words and `name:value` operators.
extension SearchParser {
    // term = quoted / word / name ":" value
    mutating func parseTerm() throws(SearchSyntaxError) -> SearchKey {
        let start = index
        if current == "\"" {
            let text = try parseQuoted()
            guard !text.isEmpty else { throw error("empty quotes: nothing to search for", at: start) }
            return .text(text)
        }
        if let name = operatorName() {
            guard let op = SearchOperator(rawValue: name.lowercased()) else {
                throw error(
                    "unknown operator '\(name):'; put the text in double quotes to search for it as written",
                    at: start)
            }
            index += name.count + 1
            return try parseValue(of: op, operatorStart: start)
        }
        return .text(try parseWord())
    }

    /// The letters before a colon at the current position (`from` in `from:ann`), if any.
    func operatorName() -> String? {
        var end = index
        while end < characters.count, characters[end].isASCII, characters[end].isLetter { end += 1 }
        guard end > index, end < characters.count, characters[end] == ":" else { return nil }
        return String(characters[index..<end])
    }

    /// A run of characters up to white space, a parenthesis or a double quote.
    mutating func parseWord() throws(SearchSyntaxError) -> String {
        var word = ""
        while let c = current, !Self.endsWord(c) {
            if Self.isControl(c) { throw error("control character in the query", at: index) }
            word.append(c)
            index += 1
        }
        return word
    }

    // quoted = DQUOTE *(char / "\" DQUOTE / "\\") DQUOTE
    /// A backslash escapes only `"` and `\`; before anything else it is kept, so `"C:\temp"` works.
    mutating func parseQuoted() throws(SearchSyntaxError) -> String {
        let open = index
        index += 1
        var text = ""
        while let c = current {
            switch c {
            case "\"":
                index += 1
                return text
            case "\\" where index + 1 < characters.count && (characters[index + 1] == "\"" || characters[index + 1] == "\\"):
                text.append(characters[index + 1])
                index += 2
            default:
                if Self.isControl(c) { throw error("control character inside quotes", at: index) }
                text.append(c)
                index += 1
            }
        }
        throw error("opening '\"' without a closing one", at: open)
    }

    /// An operator's value: quoted or a bare word. Empty is an error unless `allowEmpty`.
    mutating func parseOperand(_ op: SearchOperator, allowEmpty: Bool = false) throws(SearchSyntaxError) -> String {
        let start = index
        let value = current == "\"" ? try parseQuoted() : try parseWord()
        if value.isEmpty && !allowEmpty {
            throw error("\(op.rawValue): needs a value, as in \(op.example)", at: start)
        }
        return value
    }

    /// C0 controls and DEL cannot travel in an IMAP string or literal reliably, so no query may hold them.
    static func isControl(_ c: Character) -> Bool {
        c.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
