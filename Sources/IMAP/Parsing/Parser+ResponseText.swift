extension GrammarParser {
    /// resp-text = ["[" resp-text-code "]" SP] [text]
    ///
    /// Never fails, so a tagged completion always reaches the client: a code that does not parse
    /// becomes `.other`, an unclosed `[` is plain text, and only a bracket at the very start opens
    /// a code (Exchange ends its greeting with bracketed text). A code may stand alone without
    /// text (`A1 OK [REFERRAL imap://...]`, iCloud).
    mutating func responseText() -> ResponseText {
        skipSpaces()
        var code: ResponseCode?
        if peek(is: ASCII.openBracket), let close = closingBracket(from: position + 1) {
            var inner = subParser((position + 1)..<close)
            code = inner.responseCodeOrOther()
            position = close + 1
            skipSpaces()
        }
        let text = position < end ? text(position..<end) : ""
        position = end
        return ResponseText(code: code, text: text)
    }

    /// The `]` that closes a response code opened just before `start`: the first one outside
    /// parentheses and quoted strings (`PERMANENTFLAGS (... [css3-page] \*)` nests brackets),
    /// or, when parentheses never close, simply the first `]`.
    func closingBracket(from start: Int) -> Int? {
        if let balanced = balancedClosingBracket(from: start) { return balanced }
        var index = start
        while index < end {
            if bytes[index] == ASCII.closeBracket { return index }
            index += 1
        }
        return nil
    }

    private func balancedClosingBracket(from start: Int) -> Int? {
        var index = start
        var parens = 0
        while index < end {
            switch bytes[index] {
            case ASCII.openParen: parens += 1
            case ASCII.closeParen: parens = max(0, parens - 1)
            case ASCII.quote:
                // Skip to the closing quote, honouring backslash escapes.
                index += 1
                while index < end && bytes[index] != ASCII.quote {
                    if bytes[index] == ASCII.backslash { index += 1 }
                    index += 1
                }
            case ASCII.closeBracket where parens == 0:
                return index
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The code between the brackets; anything unexpected in a known code's arguments keeps the
    /// code as `.other(name, arguments)` rather than losing the response.
    mutating func responseCodeOrOther() -> ResponseCode {
        let start = position
        if let code = try? responseCode(), isAtEnd { return code }
        position = start
        let nameRange = (try? keywordRange()) ?? start..<start
        skipSpaces()
        let arguments = position < end ? text(position..<end) : nil
        return .other(name: text(nameRange).uppercased(), arguments: arguments)
    }

    /// resp-text-code = "ALERT" / "BADCHARSET" [SP "(" charset *(SP charset) ")"] /
    ///     capability-data / "PARSE" / "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" /
    ///     "READ-ONLY" / "READ-WRITE" / "TRYCREATE" / "UIDNEXT" SP nz-number /
    ///     "UIDVALIDITY" SP nz-number / "UNSEEN" SP nz-number / resp-code-apnd / resp-code-copy /
    ///     "UIDNOTSTICKY" / "HIGHESTMODSEQ" SP mod-sequence-value / "NOMODSEQ" /
    ///     "MODIFIED" SP sequence-set / "CLOSED" / RFC 5530 codes / atom [SP 1*<any TEXT-CHAR except "]">]
    /// Lenient: UIDNEXT and UIDVALIDITY may be 0 (seen in the wild).
    mutating func responseCode() throws(GrammarError) -> ResponseCode {
        let name = try keywordRange()
        if let simple = simpleCode(name) {
            return simple
        }
        if equals(name, "CAPABILITY") {
            try space()
            return .capability(try capabilityList())
        }
        if equals(name, "PERMANENTFLAGS") {
            try space()
            return .permanentFlags(try flagList())
        }
        if equals(name, "UIDNEXT") {
            try space()
            return .uidNext(UID(try number()))
        }
        if equals(name, "UIDVALIDITY") {
            try space()
            return .uidValidity(try number())
        }
        if equals(name, "UNSEEN") {
            try space()
            return .unseen(SequenceNumber(try number()))
        }
        if equals(name, "HIGHESTMODSEQ") {
            try space()
            return .highestModSeq(try number64())
        }
        if equals(name, "APPENDUID") {
            // resp-code-apnd = "APPENDUID" SP nz-number SP append-uid
            try space()
            let validity = try number()
            try space()
            return .appendUID(uidValidity: validity, uids: try uidSet())
        }
        if equals(name, "COPYUID") {
            // resp-code-copy = "COPYUID" SP nz-number SP uid-set SP uid-set
            try space()
            let validity = try number()
            try space()
            let source = try uidSet()
            try space()
            return .copyUID(uidValidity: validity, source: source, destination: try uidSet())
        }
        if equals(name, "MODIFIED") {
            try space()
            return .modified(try sequenceNumberSet())
        }
        if equals(name, "BADCHARSET") {
            var charsets: [String] = []
            skipSpaces()
            if consume(ASCII.openParen) {
                skipSpaces()
                while !isAtEnd && !peek(is: ASCII.closeParen) {
                    charsets.append(text(try astring()))
                    skipSpaces()
                }
                try expect(ASCII.closeParen, "')'")
            }
            return .badCharset(charsets)
        }
        throw fail("not a modelled response code")
    }

    /// Codes without arguments.
    private func simpleCode(_ name: Range<Int>) -> ResponseCode? {
        guard position >= end else { return nil }
        let table: [(StaticString, ResponseCode)] = [
            ("ALERT", .alert), ("PARSE", .parse), ("READ-ONLY", .readOnly), ("READ-WRITE", .readWrite),
            ("TRYCREATE", .tryCreate), ("UIDNOTSTICKY", .uidNotSticky), ("NOMODSEQ", .noModSeq),
            ("CLOSED", .closed), ("ALREADYEXISTS", .alreadyExists), ("NONEXISTENT", .nonExistent),
            ("AUTHENTICATIONFAILED", .authenticationFailed), ("AUTHORIZATIONFAILED", .authorizationFailed),
            ("UNAVAILABLE", .unavailable), ("EXPIRED", .expired), ("PRIVACYREQUIRED", .privacyRequired),
            ("CONTACTADMIN", .contactAdmin), ("NOPERM", .noPerm), ("INUSE", .inUse),
            ("EXPUNGEISSUED", .expungeIssued), ("CORRUPTION", .corruption), ("SERVERBUG", .serverBug),
            ("CLIENTBUG", .clientBug), ("CANNOT", .cannot), ("LIMIT", .limit), ("OVERQUOTA", .overQuota),
            ("BADCHARSET", .badCharset([])),
        ]
        for (keyword, code) in table where equals(name, keyword) { return code }
        return nil
    }
}
