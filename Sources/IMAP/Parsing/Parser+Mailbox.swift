extension GrammarParser {
    /// mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
    ///     [SP mbox-list-extended]
    /// mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"
    /// mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
    /// Lenient: attributes are tokens (`\HasNoChildren`), kept as sent (XLIST's `\AllMail` is
    /// mapped by the client); an unquoted name may hold TABs and raw UTF-8 (Exchange), and an
    /// unquoted name followed by more words is taken to the end of the line.
    mutating func listResponse(kind: ListKind) throws(GrammarError) -> ListResponse {
        try space()
        try expect(ASCII.openParen, "'(' before the mailbox attributes")
        var attributes: [String] = []
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            attributes.append(text(try tokenRange()))
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')' after the mailbox attributes")
        try space()
        var delimiter: Character?
        if !consumeNil() {
            let value = text(try quoted())
            delimiter = value.first
        }
        try space()
        let nameStart = position
        var name = try mailboxWireName()
        skipSpaces()
        var extended: [String: String] = [:]
        if peek(is: ASCII.openParen) {
            extended = try listExtendedItems()
        } else if !isAtEnd {
            let first = bytes[nameStart]
            guard first != ASCII.quote && first != ASCII.openBrace && first != ASCII.tilde else {
                throw fail("unexpected data after the mailbox name")
            }
            // An unquoted name with spaces: everything up to the line end is the name.
            name = Array(UnsafeBufferPointer(rebasing: bytes[nameStart..<end]))
            position = end
        }
        return ListResponse(kind: kind, attributes: attributes, delimiter: delimiter,
                            mailbox: MailboxName(wire: name), extended: extended)
    }

    /// mailbox = "INBOX" / astring — the wire bytes, decoded later by `MailboxName(wire:)`.
    mutating func mailboxWireName() throws(GrammarError) -> [UInt8] {
        data(try astring())
    }

    /// The extended data items, each tag mapped to its value as written (`("SUBSCRIBED")`).
    private mutating func listExtendedItems() throws(GrammarError) -> [String: String] {
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'('")
        var items: [String: String] = [:]
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            let tag = text(try astring()).uppercased()
            try space()
            let valueStart = position
            try skipValue()
            items[tag] = text(valueStart..<position)
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')'")
        return items
    }

    /// mailbox-data =/ "STATUS" SP mailbox SP "(" [status-att-list] ")"
    /// status-att-list = status-att-val *(SP status-att-val)
    /// Lenient: raw UTF-8 names; an unquoted name containing spaces runs to the last ` (`.
    mutating func statusResponse() throws(GrammarError) -> UntaggedResponse {
        try space()
        let nameStart = position
        var name = try mailboxWireName()
        skipSpaces()
        if !peek(is: ASCII.openParen) {
            guard let open = lastStatusListOpen(after: nameStart) else { throw fail("expected '(' after the STATUS mailbox") }
            var trimmed = open
            while trimmed > nameStart && bytes[trimmed - 1] == ASCII.space { trimmed -= 1 }
            name = Array(UnsafeBufferPointer(rebasing: bytes[nameStart..<trimmed]))
            position = open
        }
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'('")
        var status = MailboxStatus()
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            let item = try keywordRange()
            try space()
            if equals(item, "MESSAGES") { status.messages = try intNumber() }
            else if equals(item, "RECENT") { status.recent = try intNumber() }
            else if equals(item, "UIDNEXT") { status.uidNext = UID(try number()) }
            else if equals(item, "UIDVALIDITY") { status.uidValidity = try number() }
            else if equals(item, "UNSEEN") { status.unseen = try intNumber() }
            else if equals(item, "HIGHESTMODSEQ") { status.highestModSeq = try number64() }
            else if equals(item, "SIZE") { status.size = Int64(try intNumber()) }
            else { try skipValue() }
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')'")
        return .status(mailbox: MailboxName(wire: name), status)
    }

    private func lastStatusListOpen(after start: Int) -> Int? {
        var index = end - 1
        while index > start {
            if bytes[index] == ASCII.openParen && bytes[index - 1] == ASCII.space { return index }
            index -= 1
        }
        return nil
    }
}
