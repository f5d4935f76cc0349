extension GrammarParser {
    /// flag-list = "(" [flag *(SP flag)] ")"
    /// flag = "\Answered" / ... / flag-keyword / flag-extension ; flag-perm adds "\*".
    /// Lenient: a flag is any token up to a space or `)`, as Gmail and others put brackets in
    /// keywords (`OIB-Seen-[Gmail]/Trash`, `[css3-page]`).
    mutating func flagList() throws(GrammarError) -> [Flag] {
        try expect(ASCII.openParen, "'('")
        var flags: [Flag] = []
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            flags.append(flag(try tokenRange()))
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')'")
        return flags
    }

    /// A flag, reusing the shared values for the system flags in their usual spelling (this is
    /// on the hot path of every FETCH; `Flag.init` lower-cases and looks up a table).
    private func flag(_ range: Range<Int>) -> Flag {
        if bytes[range.lowerBound] == ASCII.backslash {
            if same(range, "\\Seen") { return .seen }
            if same(range, "\\Answered") { return .answered }
            if same(range, "\\Flagged") { return .flagged }
            if same(range, "\\Deleted") { return .deleted }
            if same(range, "\\Draft") { return .draft }
            if same(range, "\\Recent") { return .recent }
        }
        return Flag(text(range))
    }

    /// Exact (case-sensitive) comparison with `value`.
    private func same(_ range: Range<Int>, _ value: StaticString) -> Bool {
        guard range.count == value.utf8CodeUnitCount else { return false }
        let expected = value.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != expected[offset] { return false }
        return true
    }

    /// capability-data = "CAPABILITY" *(SP capability) ; capability = ("AUTH=" auth-type) / atom
    /// Here: the capabilities after the keyword, up to the end (or the `]` of a response code).
    mutating func capabilityList() throws(GrammarError) -> [Capability] {
        var capabilities: [Capability] = []
        skipSpaces()
        while position < end {
            capabilities.append(Capability(text(try tokenRange(stopAtBracket: true))))
            skipSpaces()
        }
        return capabilities
    }
}
