/// A STATUS data item to ask for (RFC 3501 §6.3.10, RFC 7162, RFC 8438).
public enum StatusAttribute: String, Hashable, Sendable, CaseIterable {
    case messages = "MESSAGES"
    case recent = "RECENT"
    case uidNext = "UIDNEXT"
    case uidValidity = "UIDVALIDITY"
    case unseen = "UNSEEN"
    case highestModSeq = "HIGHESTMODSEQ"
    case size = "SIZE"
}

/// An ESEARCH `RETURN` option (RFC 4731).
public enum SearchReturnOption: String, Hashable, Sendable {
    case min = "MIN", max = "MAX", all = "ALL", count = "COUNT"
}

/// How `UID STORE` changes flags.
public enum StoreOperation: Hashable, Sendable {
    /// `+FLAGS`
    case add([Flag])
    /// `-FLAGS`
    case remove([Flag])
    /// `FLAGS`
    case replace([Flag])
}

/// A FETCH data item to ask for.
public enum FetchItem: Hashable, Sendable {
    case uid, flags, envelope, bodyStructure, rfc822Size, internalDate, modSeq, preview
    /// Gmail's `X-GM-LABELS`, `X-GM-THRID` and `X-GM-MSGID`: ask only when the server offers
    /// X-GM-EXT-1 (anyone else answers BAD).
    case gmailLabels, gmailThreadID, gmailMessageID
    /// `BODY.PEEK[section]<offset.length>`: `section` is `""` (whole message), `"2.1"`, `"HEADER"`,
    /// `"1.MIME"`, `"TEXT"`...; it never sets `\Seen`.
    case bodyPeek(section: String, partial: (offset: Int, length: Int)?)
    /// `BODY.PEEK[HEADER.FIELDS (names)]`
    case headerFields([String])

    public static func == (lhs: FetchItem, rhs: FetchItem) -> Bool {
        switch (lhs, rhs) {
        case (.uid, .uid), (.flags, .flags), (.envelope, .envelope), (.bodyStructure, .bodyStructure),
             (.rfc822Size, .rfc822Size), (.internalDate, .internalDate), (.modSeq, .modSeq), (.preview, .preview),
             (.gmailLabels, .gmailLabels), (.gmailThreadID, .gmailThreadID), (.gmailMessageID, .gmailMessageID):
            return true
        case let (.bodyPeek(a, pa), .bodyPeek(b, pb)):
            return a == b && pa?.offset == pb?.offset && pa?.length == pb?.length
        case let (.headerFields(a), .headerFields(b)):
            return a == b
        default:
            return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .uid: hasher.combine(0)
        case .flags: hasher.combine(1)
        case .envelope: hasher.combine(2)
        case .bodyStructure: hasher.combine(3)
        case .rfc822Size: hasher.combine(4)
        case .internalDate: hasher.combine(5)
        case .modSeq: hasher.combine(6)
        case .preview: hasher.combine(7)
        case .gmailLabels: hasher.combine(10)
        case .gmailThreadID: hasher.combine(11)
        case .gmailMessageID: hasher.combine(12)
        case let .bodyPeek(section, partial):
            hasher.combine(8); hasher.combine(section)
            hasher.combine(partial?.offset); hasher.combine(partial?.length)
        case let .headerFields(names):
            hasher.combine(9); hasher.combine(names)
        }
    }
}
