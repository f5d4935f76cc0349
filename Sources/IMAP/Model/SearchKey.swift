/// A calendar date for SEARCH (`SINCE 31-Jan-2024`): no time, no zone (RFC 3501 `date`).
public struct SearchDate: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// nil when the date does not exist (Feb 30) or is outside 1..9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return nil }
        self.year = year; self.month = month; self.day = day
    }
}

/// A SEARCH criterion (RFC 3501 §6.4.4). User text stays a Swift `String` here; the command
/// encoder always sends it as a quoted string or a literal, so no input can inject IMAP syntax.
public indirect enum SearchKey: Hashable, Sendable {
    case all
    case answered, unanswered, deleted, undeleted, draft, undraft, flagged, unflagged
    case seen, unseen, recent, new, old
    case keyword(Flag)
    case unkeyword(Flag)
    case from(String), to(String), cc(String), bcc(String), subject(String), body(String), text(String)
    case header(name: String, value: String)
    /// INTERNALDATE comparisons.
    case since(SearchDate), before(SearchDate), on(SearchDate)
    /// Date header comparisons.
    case sentSince(SearchDate), sentBefore(SearchDate), sentOn(SearchDate)
    case larger(Int), smaller(Int)
    case uid(UIDSet)
    case sequence(SequenceNumberSet)
    case modSeq(ModSequence)
    case not(SearchKey)
    case or(SearchKey, SearchKey)
    /// All must match (a parenthesised list; the empty list means ALL).
    case and([SearchKey])
    /// Gmail's `X-GM-RAW` (X-GM-EXT-1): Gmail's own search syntax (`has:attachment older_than:2d`),
    /// sent as one quoted string or literal like every user string.
    case gmailRaw(String)
}
