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
            flags.append(Flag(text(try tokenRange())))
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')'")
        return flags
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
