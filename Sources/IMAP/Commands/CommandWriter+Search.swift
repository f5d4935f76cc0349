/// SEARCH dates as RFC 3501 `date`: `d-Mon-yyyy`, English month names whatever the locale.
enum SearchDateText {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}

extension SearchDate {
    /// `31-Jan-2024`
    public var wireText: String { "\(day)-\(SearchDateText.months[month - 1])-\(year)" }
}

extension SearchKey {
    /// True when any user string in the key is not ASCII, so the search needs `CHARSET UTF-8`.
    public var containsNonASCII: Bool {
        switch self {
        case let .from(s), let .to(s), let .cc(s), let .bcc(s), let .subject(s), let .body(s), let .text(s),
             let .gmailRaw(s):
            return s.utf8.contains { $0 >= 0x80 }
        case let .header(name, value):
            return (name + value).utf8.contains { $0 >= 0x80 }
        case let .not(key):
            return key.containsNonASCII
        case let .or(a, b):
            return a.containsNonASCII || b.containsNonASCII
        case let .and(keys):
            return keys.contains { $0.containsNonASCII }
        default:
            return false
        }
    }
}

extension CommandWriter {
    /// RFC 3501 `search-key`. Every user string is a quoted string or a literal; at the top level
    /// an `and` list is written as separate keys (SEARCH ANDs them), nested it is parenthesised.
    mutating func searchKey(_ key: SearchKey, topLevel: Bool = false) throws(CommandEncodingError) {
        switch key {
        case .all: raw("ALL")
        case .answered: raw("ANSWERED")
        case .unanswered: raw("UNANSWERED")
        case .deleted: raw("DELETED")
        case .undeleted: raw("UNDELETED")
        case .draft: raw("DRAFT")
        case .undraft: raw("UNDRAFT")
        case .flagged: raw("FLAGGED")
        case .unflagged: raw("UNFLAGGED")
        case .seen: raw("SEEN")
        case .unseen: raw("UNSEEN")
        case .recent: raw("RECENT")
        case .new: raw("NEW")
        case .old: raw("OLD")
        case .keyword(let flag), .unkeyword(let flag):
            raw(key.isKeyword ? "KEYWORD " : "UNKEYWORD ")
            guard !flag.isSystemFlag, IMAPSyntax.isAtom(Array(flag.rawValue.utf8)) else {
                throw .invalidKeyword(flag.rawValue)
            }
            raw(flag.rawValue)
        case let .from(s): try userString("FROM", s)
        case let .to(s): try userString("TO", s)
        case let .cc(s): try userString("CC", s)
        case let .bcc(s): try userString("BCC", s)
        case let .subject(s): try userString("SUBJECT", s)
        case let .body(s): try userString("BODY", s)
        case let .text(s): try userString("TEXT", s)
        case let .gmailRaw(s): try userString("X-GM-RAW", s)
        case let .header(name, value):
            raw("HEADER ")
            try string(Array(name.utf8), field: "header name")
            space()
            try string(Array(value.utf8), field: "header value")
        case let .since(date): raw("SINCE \(date.wireText)")
        case let .before(date): raw("BEFORE \(date.wireText)")
        case let .on(date): raw("ON \(date.wireText)")
        case let .sentSince(date): raw("SENTSINCE \(date.wireText)")
        case let .sentBefore(date): raw("SENTBEFORE \(date.wireText)")
        case let .sentOn(date): raw("SENTON \(date.wireText)")
        case let .larger(size):
            guard size >= 0 else { throw .invalidNumber(field: "LARGER", value: size) }
            raw("LARGER \(size)")
        case let .smaller(size):
            guard size >= 0 else { throw .invalidNumber(field: "SMALLER", value: size) }
            raw("SMALLER \(size)")
        case let .uid(set):
            raw("UID ")
            try self.set(set, field: "SEARCH UID set")
        case let .sequence(set):
            try self.set(set, field: "SEARCH sequence set")
        case let .modSeq(value):
            raw("MODSEQ \(value)")
        case let .not(inner):
            raw("NOT ")
            try searchKey(inner)
        case let .or(a, b):
            raw("OR ")
            try searchKey(a)
            space()
            try searchKey(b)
        case let .and(keys):
            switch keys.count {
            case 0: raw("ALL")
            case 1: try searchKey(keys[0], topLevel: topLevel)
            default:
                if !topLevel { raw("(") }
                for (index, inner) in keys.enumerated() {
                    if index > 0 { space() }
                    try searchKey(inner)
                }
                if !topLevel { raw(")") }
            }
        }
    }

    private mutating func userString(_ name: String, _ value: String) throws(CommandEncodingError) {
        raw(name + " ")
        try string(Array(value.utf8), field: "\(name) search text")
    }
}

extension SearchKey {
    fileprivate var isKeyword: Bool { if case .keyword = self { true } else { false } }
}
