/// Gmail's FETCH items (X-GM-EXT-1, https://developers.google.com/gmail/imap/imap-extensions).
/// Gmail publishes no ABNF; the grammar below is what its documentation and answers show.
extension GrammarParser {
    /// x-gm-labels = "(" [x-gm-label *(SP x-gm-label)] ")" / nil
    /// x-gm-label  = astring / "\" atom ; `\Inbox`, `\Important`... bare or quoted (`"\\Inbox"`)
    /// Lenient: an unquoted label runs to a space or `)`, brackets included (`[Imap]/Trash`), as
    /// flags do; extra spaces are skipped; NIL is the empty list.
    mutating func gmailLabels() throws(GrammarError) -> [String] {
        if consumeNil() { return [] }
        try expect(ASCII.openParen, "'(' before the X-GM-LABELS list")
        var labels: [String] = []
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            labels.append(try gmailLabel())
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')' after the X-GM-LABELS list")
        return labels
    }

    /// One label: a quoted string or a literal (unescaped), or a bare token.
    private mutating func gmailLabel() throws(GrammarError) -> String {
        switch peek() {
        case ASCII.quote?:
            return text(try quoted())
        case ASCII.openBrace?, ASCII.tilde?:
            return text(ParsedString(range: try literal(), unescaped: nil))
        default:
            return text(try tokenRange())
        }
    }

    /// x-gm-thrid = number64 ; x-gm-msgid = number64 — unsigned 64-bit ids, written in decimal.
    mutating func gmailID() throws(GrammarError) -> UInt64 {
        try number64()
    }
}
