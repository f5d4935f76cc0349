extension GrammarParser {
    /// mailbox-data =/ "SEARCH" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]
    /// Lenient: trailing spaces (Yahoo), an empty result with or without the space.
    mutating func searchResponse() throws(GrammarError) -> UntaggedResponse {
        var numbers: [UInt32] = []
        var modSeq: ModSequence?
        skipSpaces()
        while position < end {
            if consume(ASCII.openParen) {
                skipSpaces()
                guard consumeKeyword("MODSEQ") else { throw fail("expected MODSEQ") }
                try space()
                modSeq = try number64()
                skipSpaces()
                try expect(ASCII.closeParen, "')'")
            } else {
                numbers.append(try number())
            }
            skipSpaces()
        }
        return .search(numbers, modSeq: modSeq)
    }

    /// esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)
    /// search-correlator = SP "(" "TAG" SP tag-string ")"
    /// search-return-data = "MIN" SP nz-number / "MAX" SP nz-number / "ALL" SP sequence-set /
    ///     "COUNT" SP number / "MODSEQ" SP mod-sequence-value / search-ret-data-ext (skipped)
    mutating func esearchResponse() throws(GrammarError) -> ESearchResponse {
        var result = ESearchResponse()
        skipSpaces()
        if consume(ASCII.openParen) {
            skipSpaces()
            guard consumeKeyword("TAG") else { throw fail("expected TAG in the search correlator") }
            try space()
            result.tag = text(try astring())
            skipSpaces()
            try expect(ASCII.closeParen, "')'")
            skipSpaces()
        }
        if consumeKeyword("UID") {
            result.uid = true
            skipSpaces()
        }
        while position < end {
            let name = try keywordRange()
            try space()
            if equals(name, "MIN") { result.min = try number() }
            else if equals(name, "MAX") { result.max = try number() }
            else if equals(name, "COUNT") { result.count = try intNumber() }
            else if equals(name, "ALL") { result.all = try uidSet().ranges }
            else if equals(name, "MODSEQ") { result.modSeq = try number64() }
            else { try skipValue() }
            skipSpaces()
        }
        return result
    }

    /// expunged-resp = "VANISHED" [SP "(EARLIER)"] SP known-uids
    mutating func vanishedResponse() throws(GrammarError) -> UntaggedResponse {
        try space()
        var earlier = false
        if consume(ASCII.openParen) {
            guard consumeKeyword("EARLIER") else { throw fail("expected EARLIER") }
            try expect(ASCII.closeParen, "')'")
            earlier = true
            try space()
        }
        return .vanished(earlier: earlier, uids: try uidSet())
    }
}
