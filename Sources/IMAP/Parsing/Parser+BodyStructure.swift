extension GrammarParser {
    /// body = "(" (body-type-1part / body-type-mpart) ")"
    /// Lenient: an "empty multipart" `(NIL "alternative" (...) NIL NIL NIL)` (Apple Mail via some
    /// servers) is read as a multipart without parts when it does not fit a single part.
    mutating func body() throws(GrammarError) -> BodyStructure {
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'(' before a body")
        skipSpaces()
        let structure: BodyStructure
        if peek(is: ASCII.openParen) {
            structure = .multipart(try multipart(parts: []))
        } else {
            let start = position
            let startDepth = depth
            do {
                structure = .single(try singlePart())
            } catch .nestingTooDeep {
                throw .nestingTooDeep
            } catch {
                position = start
                depth = startDepth
                guard consumeNil() else { throw error }
                skipSpaces()
                structure = .multipart(try multipart(parts: nil))
            }
        }
        skipSpaces()
        try expect(ASCII.closeParen, "')' after a body")
        return structure
    }

    /// body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    /// body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
    /// `parts` nil: the parts were NIL (empty multipart), already consumed.
    private mutating func multipart(parts: [BodyStructure]?) throws(GrammarError) -> BodyStructure.Multipart {
        var children: [BodyStructure] = []
        if parts != nil {
            while peek(is: ASCII.openParen) {
                children.append(try body())
                skipSpaces()
            }
        }
        // A missing subtype (`(("TEXT" ...)))`) is read as `mixed`, the RFC 2046 default.
        let subtype = peek(is: ASCII.closeParen) ? "mixed" : try nstring().map(lowercasedText) ?? "mixed"
        var result = BodyStructure.Multipart(parts: children, subtype: subtype)
        guard try nextExtension() else { return result }
        result.parameters = try bodyParameters()
        guard try nextExtension() else { return result }
        result.disposition = try disposition()
        guard try nextExtension() else { return result }
        result.language = try languages()
        guard try nextExtension() else { return result }
        result.location = try nstring().map(text)
        try skipExtensions()
        return result
    }

    /// body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
    /// body-type-basic = media-basic SP body-fields
    /// body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
    /// body-type-text = media-text SP body-fields SP body-fld-lines
    /// body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
    /// body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
    /// Lenient: NIL type/subtype/encoding take the documented defaults, sizes may be negative or
    /// NIL, text parts may lack the line count, message/rfc822 may lack envelope and body (and
    /// then carry just a line count).
    private mutating func singlePart() throws(GrammarError) -> BodyStructure.SinglePart {
        let type = try nstring().map(lowercasedText) ?? "application"
        try space()
        let subtype = try nstring().map(lowercasedText) ?? "octet-stream"
        try space()
        var part = BodyStructure.SinglePart(type: type, subtype: subtype)
        part.parameters = try bodyParameters()
        try space()
        part.id = try nstring().map(text)
        try space()
        part.description = try nstring().map(text)
        try space()
        part.encoding = try nstring().map(lowercasedText) ?? "7bit"
        try space()
        part.size = consumeNil() ? 0 : try signedNumber()
        skipSpaces()

        if type == "message" && (subtype == "rfc822" || subtype == "global") && peek(is: ASCII.openParen) {
            let envelope = try envelope()
            skipSpaces()
            let body = try body()
            part.message = BodyStructure.AttachedMessage(envelope: envelope, body: body)
            skipSpaces()
            part.lines = try optionalLineCount()
        } else if type == "text" || type == "message" {
            part.lines = try optionalLineCount()
        }

        guard try nextExtension() else { return part }
        part.md5 = try nstring().map(text)
        guard try nextExtension() else { return part }
        part.disposition = try disposition()
        guard try nextExtension() else { return part }
        part.language = try languages()
        guard try nextExtension() else { return part }
        part.location = try nstring().map(text)
        try skipExtensions()
        return part
    }

    /// body-fld-lines = number, when present.
    private mutating func optionalLineCount() throws(GrammarError) -> Int? {
        guard let byte = peek(), ASCII.isDigit(byte) || byte == ASCII.minus else { return nil }
        return try signedNumber()
    }

    /// Moves to the next extension field; false at the closing `)` of the body.
    private mutating func nextExtension() throws(GrammarError) -> Bool {
        skipSpaces()
        return !(isAtEnd || peek(is: ASCII.closeParen))
    }

    /// *(SP body-extension) ; body-extension = nstring / number / "(" body-extension *(SP body-extension) ")"
    private mutating func skipExtensions() throws(GrammarError) {
        while try nextExtension() {
            try skipValue()
        }
    }

    /// body-fld-param = "(" string SP string *(SP string SP string) ")" / nil
    /// Lenient: `()`, NIL values, a missing last value. RFC 2231 names (`TITLE*0*`) kept as sent.
    private mutating func bodyParameters() throws(GrammarError) -> [BodyParameter] {
        if consumeNil() { return [] }
        try enter()
        defer { leave() }
        try expect(ASCII.openParen, "'(' or NIL for body parameters")
        var parameters: [BodyParameter] = []
        skipSpaces()
        while position < end && bytes[position] != ASCII.closeParen {
            let name = text(try string())
            skipSpaces()
            var value = ""
            if !peek(is: ASCII.closeParen) {
                value = try nstring().map(text) ?? ""
                skipSpaces()
            }
            parameters.append(BodyParameter(name: name, value: value))
        }
        try expect(ASCII.closeParen, "')' after body parameters")
        return parameters
    }

    /// body-fld-dsp = "(" string SP body-fld-param ")" / nil
    /// Lenient: a bare string (`"inline"`) is the kind without parameters; a bare string with
    /// spaces is a misplaced description (`"S/MIME Encrypted Message"`) and means no disposition.
    private mutating func disposition() throws(GrammarError) -> BodyDisposition? {
        if consumeNil() { return nil }
        if peek(is: ASCII.openParen) {
            try enter()
            defer { leave() }
            position += 1
            skipSpaces()
            let kind = try string()
            skipSpaces()
            let parameters = peek(is: ASCII.closeParen) ? [] : try bodyParameters()
            skipSpaces()
            try expect(ASCII.closeParen, "')' after the disposition")
            return BodyDisposition(kind: lowercasedText(kind), parameters: parameters)
        }
        let bare = try string()
        let kind = lowercasedText(bare)
        return kind.contains(" ") ? nil : BodyDisposition(kind: kind, parameters: [])
    }

    /// body-fld-lang = nstring / "(" string *(SP string) ")"
    private mutating func languages() throws(GrammarError) -> [String] {
        if consumeNil() { return [] }
        if peek(is: ASCII.openParen) {
            try enter()
            defer { leave() }
            position += 1
            var languages: [String] = []
            skipSpaces()
            while position < end && bytes[position] != ASCII.closeParen {
                if let language = try nstring() { languages.append(text(language)) }
                skipSpaces()
            }
            try expect(ASCII.closeParen, "')' after the languages")
            return languages
        }
        return [text(try string())]
    }
}
