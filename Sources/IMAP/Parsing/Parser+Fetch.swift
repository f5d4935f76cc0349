extension GrammarParser {
    /// msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic / msg-att-static)) ")"
    /// Lenient: an item list wrapped in extra parentheses (`(UID 1 (ENVELOPE (...)))`, seen from
    /// Exchange) is flattened; spaces are optional around items.
    mutating func fetchAttributes() throws(GrammarError) -> [FetchAttribute] {
        var attributes: [FetchAttribute] = []
        attributes.reserveCapacity(6)
        try fetchAttributes(into: &attributes)
        return attributes
    }

    private mutating func fetchAttributes(into attributes: inout [FetchAttribute]) throws(GrammarError) {
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'(' before the FETCH data")
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            if bytes[position] == ASCII.openParen {
                try fetchAttributes(into: &attributes)
            } else {
                attributes.append(try fetchAttribute())
            }
            skipSpaces()
        }
        try expect(ASCII.closeParen, "')' after the FETCH data")
    }

    /// msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")" / "MODSEQ" SP "(" mod-sequence-value ")"
    /// msg-att-static = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time /
    ///     "RFC822" [".HEADER" / ".TEXT"] SP nstring / "RFC822.SIZE" SP number /
    ///     "BODY" ["STRUCTURE"] SP body / "BODY" section ["<" number ">"] SP nstring /
    ///     "BINARY" section-binary SP (nstring / literal8) / "BINARY.SIZE" section-binary SP number /
    ///     "UID" SP uniqueid / "PREVIEW" SP nstring /
    ///     "X-GM-LABELS" SP x-gm-labels / "X-GM-THRID" SP number64 / "X-GM-MSGID" SP number64
    /// Anything else (`EMAILID`), and a Gmail item we cannot read, is kept raw as `.other`.
    private mutating func fetchAttribute() throws(GrammarError) -> FetchAttribute {
        let name = try keywordRange()
        switch name.count {
        case 3 where equals(name, "UID"):
            try space()
            return .uid(UID(try number()))
        case 5 where equals(name, "FLAGS"):
            try space()
            return .flags(try flagList())
        case 8 where equals(name, "ENVELOPE"):
            try space()
            // An envelope we cannot read must not cost the message its UID and flags.
            switch try parsedOrSkipped({ parser throws(GrammarError) in try parser.envelope() }) {
            case .parsed(let envelope): return .envelope(envelope)
            case .skipped(let raw): return .other(name: "ENVELOPE", raw: raw)
            }
        case 13 where equals(name, "BODYSTRUCTURE"):
            try space()
            return try bodyStructureOrUnknown()
        case 4 where equals(name, "BODY"), 9 where equals(name, "BODY.PEEK"):
            if peek(is: ASCII.openBracket) { return try bodySection() }
            try space()
            return try bodyStructureOrUnknown()
        case 11 where equals(name, "RFC822.SIZE"):
            try space()
            return .rfc822Size(try intNumber())
        case 12 where equals(name, "INTERNALDATE"):
            try space()
            return .internalDate(try nstring().map(text) ?? "")
        case 6 where equals(name, "MODSEQ"):
            try space()
            let start = position
            if let value = try? modSeqValue() { return .modSeq(value) }
            // `MODSEQ (-1)` and similar: not a valid mod-sequence, keep it raw.
            position = start
            try skipValue()
            return .other(name: "MODSEQ", raw: Array(UnsafeBufferPointer(rebasing: bytes[start..<position])))
        case 6 where equals(name, "RFC822"):
            try space()
            return .body(section: "", origin: nil, data: try nstring().map(data))
        case 13 where equals(name, "RFC822.HEADER"):
            try space()
            return .body(section: "HEADER", origin: nil, data: try nstring().map(data))
        case 11 where equals(name, "RFC822.TEXT"):
            try space()
            return .body(section: "TEXT", origin: nil, data: try nstring().map(data))
        case 6 where equals(name, "BINARY"):
            let section = try sectionText()
            try space()
            return .binary(section: section, data: try nstring().map(data))
        case 11 where equals(name, "BINARY.SIZE"):
            let section = try sectionText()
            try space()
            return .binarySize(section: section, size: try intNumber())
        case 11 where equals(name, "X-GM-LABELS"):
            try space()
            switch try parsedOrSkipped({ parser throws(GrammarError) in try parser.gmailLabels() }) {
            case .parsed(let labels): return .gmailLabels(labels)
            case .skipped(let raw): return .other(name: "X-GM-LABELS", raw: raw)
            }
        case 10 where equals(name, "X-GM-THRID"), 10 where equals(name, "X-GM-MSGID"):
            try space()
            let isThread = equals(name, "X-GM-THRID")
            switch try parsedOrSkipped({ parser throws(GrammarError) in try parser.gmailID() }) {
            case .parsed(let id): return isThread ? .gmailThreadID(id) : .gmailMessageID(id)
            case .skipped(let raw): return .other(name: text(name), raw: raw)
            }
        case 7 where equals(name, "PREVIEW"):
            try space()
            // Early drafts sent a `(FUZZY)` modifier before the text.
            if peek(is: ASCII.openParen) {
                try skipValue()
                try space()
            }
            return .preview(try nstring().map(text))
        default:
            let label = text(name)
            guard !isAtEnd, !peek(is: ASCII.closeParen) else { return .other(name: label, raw: []) }
            try space()
            let start = position
            try skipValue()
            return .other(name: label, raw: Array(UnsafeBufferPointer(rebasing: bytes[start..<position])))
        }
    }

    /// "(" mod-sequence-value ")"
    private mutating func modSeqValue() throws(GrammarError) -> ModSequence {
        try expect(ASCII.openParen, "'('")
        skipSpaces()
        let value = try number64()
        skipSpaces()
        try expect(ASCII.closeParen, "')'")
        return value
    }

    /// "BODY" section ["<" number ">"] SP nstring
    private mutating func bodySection() throws(GrammarError) -> FetchAttribute {
        let section = try sectionText()
        var origin: Int?
        if consume(ASCII.lessThan) {
            origin = try intNumber()
            try expect(ASCII.greaterThan, "'>'")
        }
        try space()
        return .body(section: section, origin: origin, data: try nstring().map(data))
    }

    /// section = "[" [section-spec] "]" — the text between the brackets, as sent
    /// (`HEADER.FIELDS (DATE FROM)`, `2.MIME`).
    private mutating func sectionText() throws(GrammarError) -> String {
        try expect(ASCII.openBracket, "'['")
        let start = position
        var parens = 0
        while position < end {
            let byte = bytes[position]
            if byte == ASCII.openParen { parens += 1 }
            else if byte == ASCII.closeParen { parens -= 1 }
            else if byte == ASCII.closeBracket && parens <= 0 { break }
            position += 1
        }
        let section = text(start..<position)
        try expect(ASCII.closeBracket, "']'")
        return section
    }

    /// A BODY/BODYSTRUCTURE value; one we cannot parse is skipped (balanced) and reported as
    /// `.bodyStructureUnknown` so the rest of the FETCH survives.
    private mutating func bodyStructureOrUnknown() throws(GrammarError) -> FetchAttribute {
        switch try parsedOrSkipped({ parser throws(GrammarError) in try parser.body() }) {
        case .parsed(let structure): return .bodyStructure(structure)
        case .skipped: return .bodyStructureUnknown
        }
    }

    /// What `parsedOrSkipped` got: the value, or the raw bytes of a value it could not read.
    private enum Salvaged<Value> {
        case parsed(Value)
        case skipped(raw: [UInt8])
    }

    /// Parses one value with `parse`; if that fails, rewinds and skips the value as a balanced
    /// whole, so one unreadable attribute costs only itself, not the FETCH around it. Nesting
    /// beyond the limit is not salvaged: skipping would recurse just as deep.
    @inline(__always)
    private mutating func parsedOrSkipped<Value>(
        _ parse: (inout Self) throws(GrammarError) -> Value
    ) throws(GrammarError) -> Salvaged<Value> {
        let start = position
        let startDepth = depth
        do {
            return .parsed(try parse(&self))
        } catch .nestingTooDeep {
            throw .nestingTooDeep
        } catch {
            position = start
            depth = startDepth
            try skipValue()
            return .skipped(raw: Array(UnsafeBufferPointer(rebasing: bytes[start..<position])))
        }
    }
}
