extension GrammarParser {
    /// envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to
    ///     SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
    /// Strings are decoded as UTF-8 (invalid bytes replaced); RFC 2047 words stay encoded.
    mutating func envelope() throws(GrammarError) -> Envelope {
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'(' before the envelope")
        skipSpaces()
        var envelope = Envelope()
        envelope.date = try envelopeString()
        skipSpaces()
        envelope.subject = try envelopeString()
        skipSpaces()
        envelope.from = try addressList()
        skipSpaces()
        envelope.sender = try addressList()
        skipSpaces()
        envelope.replyTo = try addressList()
        skipSpaces()
        envelope.to = try addressList()
        skipSpaces()
        envelope.cc = try addressList()
        skipSpaces()
        envelope.bcc = try addressList()
        skipSpaces()
        envelope.inReplyTo = try envelopeString()
        skipSpaces()
        envelope.messageID = try envelopeString()
        skipSpaces()
        try expect(ASCII.closeParen, "')' after the envelope")
        return envelope
    }

    /// nstring, decoded.
    private mutating func envelopeString() throws(GrammarError) -> String? {
        guard let value = try nstring() else { return nil }
        return text(value)
    }

    /// env-from etc. = "(" 1*address ")" / nil
    /// Lenient: `()` for NIL, spaces between addresses.
    private mutating func addressList() throws(GrammarError) -> [EnvelopeAddress] {
        if consumeNil() { return [] }
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'(' or NIL for an address list")
        var addresses: [EnvelopeAddress] = []
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            addresses.append(try address())
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')' after an address list")
        return addresses
    }

    /// address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
    private mutating func address() throws(GrammarError) -> EnvelopeAddress {
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'(' before an address")
        skipSpaces()
        let name = try envelopeString()
        skipSpaces()
        let adl = try envelopeString()
        skipSpaces()
        let mailbox = try envelopeString()
        skipSpaces()
        let host = try envelopeString()
        skipSpaces()
        try expect(ASCII.closeParen, "')' after an address")
        return EnvelopeAddress(name: name, adl: adl, mailbox: mailbox, host: host)
    }
}
