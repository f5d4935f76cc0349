extension GrammarParser {
    /// response = continue-req / response-data / response-done
    /// continue-req = "+" [SP] (resp-text / base64) CRLF
    /// Lenient: a line that starts with `[` is a response code whose `* OK` was left out.
    /// response-tagged = tag SP resp-cond-state CRLF
    /// response-data = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data /
    ///     capability-data / enable-data / namespace-response / esearch-response) CRLF
    mutating func response() throws(GrammarError) -> Response {
        guard let first = peek() else { throw fail("empty response") }
        switch first {
        case ASCII.plus:
            position += 1
            if peek(is: ASCII.space) { position += 1 }
            let text = position < end ? text(position..<end) : ""
            position = end
            return .continuation(text)
        case ASCII.star:
            position += 1
            skipSpaces()
            return .untagged(try untagged())
        case ASCII.openBracket:
            // Exchange has sent a bare `[COPYUID 55 31 6]` line during MOVE: a response code
            // without `* OK`. Read it as the untagged OK it stands for.
            return .untagged(.condition(.ok, responseText()))
        default:
            return .tagged(try tagged())
        }
    }

    /// response-tagged = tag SP resp-cond-state ; resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
    /// Lenient: status in any case (PREAUTH and BYE accepted too), text optional; the text itself
    /// never fails to parse, so a completion always reaches the command waiting for it.
    mutating func tagged() throws(GrammarError) -> TaggedResponse {
        let tagStart = position
        while position < end && bytes[position] > ASCII.space { position += 1 }
        guard position > tagStart else { throw fail("expected a tag") }
        let tag = text(tagStart..<position)
        try space()
        guard let status = responseStatus() else { throw fail("expected OK, NO or BAD after the tag") }
        return TaggedResponse(tag: tag, status: status, text: responseText())
    }

    /// "OK" / "NO" / "BAD" / "PREAUTH" / "BYE", any case; nil (position unchanged) when absent.
    mutating func responseStatus() -> ResponseStatus? {
        let start = position
        guard let word = try? atomRange() else { return nil }
        if equals(word, "OK") { return .ok }
        if equals(word, "NO") { return .no }
        if equals(word, "BAD") { return .bad }
        if equals(word, "BYE") { return .bye }
        if equals(word, "PREAUTH") { return .preauth }
        position = start
        return nil
    }

    /// The data after `* `.
    /// message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att)) ; mailbox-data = ... /
    ///     number SP "EXISTS" / number SP "RECENT"
    /// Lenient: keywords in any case (`* capability`, `* List`); `* 0 FETCH` accepted.
    mutating func untagged() throws(GrammarError) -> UntaggedResponse {
        guard let first = peek() else { throw fail("empty untagged response") }
        if ASCII.isDigit(first) {
            let number = try number()
            try space()
            let name = try keywordRange()
            if equals(name, "FETCH") {
                skipSpaces()
                return .fetch(FetchResponse(sequenceNumber: SequenceNumber(number), attributes: try fetchAttributes()))
            }
            if equals(name, "EXISTS") { return .exists(Int(number)) }
            if equals(name, "RECENT") { return .recent(Int(number)) }
            if equals(name, "EXPUNGE") { return .expunge(SequenceNumber(number)) }
            return other(name: name)
        }
        if let status = responseStatus() {
            return .condition(status, responseText())
        }
        let name = try keywordRange()
        if equals(name, "CAPABILITY") { return .capability(try capabilityList()) }
        if equals(name, "ENABLED") { return .enabled(try capabilityList()) }
        if equals(name, "FLAGS") {
            skipSpaces()
            return .flags(try flagList())
        }
        if equals(name, "LIST") { return .list(try listResponse(kind: .list)) }
        if equals(name, "LSUB") { return .list(try listResponse(kind: .lsub)) }
        if equals(name, "XLIST") { return .list(try listResponse(kind: .xlist)) }
        if equals(name, "STATUS") { return try statusResponse() }
        if equals(name, "SEARCH") { return try searchResponse() }
        if equals(name, "ESEARCH") { return .esearch(try esearchResponse()) }
        if equals(name, "VANISHED") { return try vanishedResponse() }
        if equals(name, "NAMESPACE") { return .namespace(try namespaceResponse()) }
        return other(name: name)
    }

    /// Anything well-framed we do not model (`* ID (...)`, `* QUOTA ...`): kept whole.
    private mutating func other(name: Range<Int>) -> UntaggedResponse {
        let raw = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<end]))
        position = end
        return .other(name: text(name).uppercased(), raw: raw)
    }
}
