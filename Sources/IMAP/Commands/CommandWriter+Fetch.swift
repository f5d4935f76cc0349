extension CommandWriter {
    /// `(UID FLAGS BODY.PEEK[1.2]<0.100>)`
    mutating func fetchItems(_ items: [FetchItem]) throws(CommandEncodingError) {
        guard !items.isEmpty else { throw .empty(field: "FETCH item list") }
        raw("(")
        for (index, item) in items.enumerated() {
            if index > 0 { space() }
            try fetchItem(item)
        }
        raw(")")
    }

    private mutating func fetchItem(_ item: FetchItem) throws(CommandEncodingError) {
        switch item {
        case .uid: raw("UID")
        case .flags: raw("FLAGS")
        case .envelope: raw("ENVELOPE")
        case .bodyStructure: raw("BODYSTRUCTURE")
        case .rfc822Size: raw("RFC822.SIZE")
        case .internalDate: raw("INTERNALDATE")
        case .modSeq: raw("MODSEQ")
        case .preview: raw("PREVIEW")
        case .gmailLabels: raw("X-GM-LABELS")
        case .gmailThreadID: raw("X-GM-THRID")
        case .gmailMessageID: raw("X-GM-MSGID")
        case let .bodyPeek(section, partial):
            guard BodySection.isValid(section) else { throw .invalidSection(section) }
            raw("BODY.PEEK[\(section)]")
            if let partial {
                guard partial.offset >= 0 else { throw .invalidNumber(field: "partial offset", value: partial.offset) }
                guard partial.length > 0 else { throw .invalidNumber(field: "partial length", value: partial.length) }
                raw("<\(partial.offset).\(partial.length)>")
            }
        case let .headerFields(names):
            guard !names.isEmpty else { throw .empty(field: "HEADER.FIELDS list") }
            raw("BODY.PEEK[HEADER.FIELDS (")
            for (index, name) in names.enumerated() {
                if index > 0 { space() }
                // Field names are printable ASCII without ':' (RFC 5322 ftext); as atoms they also
                // cannot hold IMAP specials, which keeps the line unambiguous.
                guard !name.contains(":") else { throw .invalidAtom(field: "header field name", value: name) }
                try atom(name, field: "header field name")
            }
            raw(")]")
        }
    }
}

/// RFC 3501 `section-spec` minus HEADER.FIELDS (which has its own item): `""`, `1.2`, `HEADER`,
/// `TEXT`, `1.MIME`, `2.HEADER`...
enum BodySection {
    static func isValid(_ section: String) -> Bool {
        guard !section.isEmpty else { return true }
        let pieces = section.split(separator: ".", omittingEmptySubsequences: false)
        for (index, piece) in pieces.enumerated() {
            if let number = UInt32(piece), number > 0, piece.first != "0" { continue }
            // A text part name may only come last (`1.MIME`, `HEADER`).
            guard index == pieces.count - 1 else { return false }
            switch piece.uppercased() {
            case "HEADER", "TEXT": return true
            case "MIME": return index > 0
            default: return false
            }
        }
        return true
    }
}
