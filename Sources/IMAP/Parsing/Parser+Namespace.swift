extension GrammarParser {
    /// namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace
    mutating func namespaceResponse() throws(GrammarError) -> NamespaceResponse {
        try space()
        let personal = try namespaceList()
        try space()
        let otherUsers = try namespaceList()
        try space()
        let shared = try namespaceList()
        return NamespaceResponse(personal: personal, otherUsers: otherUsers, shared: shared)
    }

    /// namespace = nil / "(" 1*namespace-descr ")"
    /// namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) [namespace-response-extensions] ")"
    private mutating func namespaceList() throws(GrammarError) -> [Namespace] {
        if consumeNil() { return [] }
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'(' or NIL")
        var namespaces: [Namespace] = []
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            try enter()
            try expect(ASCII.openParen, "'('")
            let prefix = data(try string())
            try space()
            var delimiter: Character?
            if !consumeNil() { delimiter = text(try quoted()).first }
            skipSpaces()
            // Extensions: `"X-PARAM" ("a" "b")` pairs, not modelled.
            while position < end && bytes[position] != ASCII.closeParen {
                try skipValue()
                skipSpaces()
            }
            try expect(ASCII.closeParen, "')'")
            leave()
            namespaces.append(Namespace(prefix: MailboxName(wire: prefix).displayName, delimiter: delimiter))
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')'")
        return namespaces
    }
}
