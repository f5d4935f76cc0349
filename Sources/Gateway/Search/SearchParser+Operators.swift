import IMAP

// Compiling one `name:value` operator into its SearchKey.
extension SearchParser {
    mutating func parseValue(of op: SearchOperator, operatorStart: Int) throws(SearchSyntaxError) -> SearchKey {
        let valueStart = index
        switch op {
        case .from: return .from(try parseOperand(op))
        case .to: return .to(try parseOperand(op))
        case .cc: return .cc(try parseOperand(op))
        case .bcc: return .bcc(try parseOperand(op))
        case .subject: return .subject(try parseOperand(op))
        case .body: return .body(try parseOperand(op))
        case .since: return .since(try date(try parseOperand(op), op, at: valueStart))
        case .before: return .before(try date(try parseOperand(op), op, at: valueStart))
        case .on: return .on(try date(try parseOperand(op), op, at: valueStart))
        case .is: return try flagState(try parseOperand(op), at: valueStart)
        case .keyword: return .keyword(try keyword(try parseOperand(op), at: valueStart))
        case .larger: return .larger(try size(try parseOperand(op), op, at: valueStart))
        case .smaller: return .smaller(try size(try parseOperand(op), op, at: valueStart))
        case .uid: return .uid(try uidSet(try parseOperand(op), at: valueStart))
        case .header: return try parseHeader(at: valueStart)
        // The value is Gmail's business (`has:attachment older_than:2d`): passed on verbatim,
        // quoted by the encoder like any user string.
        case .gmail: return .gmailRaw(try parseOperand(op))
        }
    }

    /// `header:Name:value` or `header:Name:"two words"` or `header:"Name:two words"`.
    /// The value may be empty (`header:X-Spam:`): IMAP then matches every message that has the field.
    mutating func parseHeader(at valueStart: Int) throws(SearchSyntaxError) -> SearchKey {
        let name: String
        let value: String
        let usage = "header: needs a field name and a value, as in \(SearchOperator.header.example)"
        if current == "\"" {
            let whole = try parseQuoted()
            guard let colon = whole.firstIndex(of: ":") else { throw error(usage, at: valueStart) }
            name = String(whole[..<colon])
            value = String(whole[whole.index(after: colon)...])
            try validateFieldName(name, at: valueStart + 1)
        } else {
            var scanned = ""
            while let c = current, c != ":", !Self.endsWord(c) {
                scanned.append(c)
                index += 1
            }
            guard current == ":" else { throw error(usage, at: valueStart) }
            name = scanned
            try validateFieldName(name, at: valueStart)
            index += 1
            value = try parseOperand(.header, allowEmpty: true)
        }
        return .header(name: name, value: value)
    }

    /// RFC 5322 field-name: printable ASCII except colon, at least one character.
    func validateFieldName(_ name: String, at start: Int) throws(SearchSyntaxError) {
        guard !name.isEmpty else {
            throw error("header: needs a field name before the second ':', as in \(SearchOperator.header.example)", at: start)
        }
        for (offset, c) in name.enumerated() {
            guard let ascii = c.asciiValue, (33...126).contains(ascii), c != ":" else {
                throw error("'\(c)' cannot appear in a header field name", at: start + offset)
            }
        }
    }

    func flagState(_ value: String, at start: Int) throws(SearchSyntaxError) -> SearchKey {
        guard let state = SearchFlagState(rawValue: value.lowercased()) else {
            let known = SearchFlagState.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("unknown is: value '\(value)'; known values: \(known)", at: start)
        }
        switch state {
        case .unread, .unseen: return .unseen
        case .read, .seen: return .seen
        case .flagged: return .flagged
        case .unflagged: return .unflagged
        case .answered: return .answered
        case .unanswered: return .unanswered
        case .draft: return .draft
        case .undraft: return .undraft
        case .deleted: return .deleted
        case .undeleted: return .undeleted
        }
    }
}
