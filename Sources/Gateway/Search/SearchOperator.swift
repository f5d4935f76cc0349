/// The `name:` prefixes the search language knows (docs/api.md); names are case-insensitive.
enum SearchOperator: String, CaseIterable, Sendable {
    case from, to, cc, bcc, subject, body
    case since, before, on
    case `is`
    case keyword
    case larger, smaller
    case header
    case uid
    /// Gmail's own search language, sent whole as X-GM-RAW (a server without X-GM-EXT-1: 422).
    case gmail

    /// A correct use, quoted in error messages.
    var example: String {
        switch self {
        case .from: "from:ann"
        case .to: "to:bob@example.com"
        case .cc: "cc:carol"
        case .bcc: "bcc:dave"
        case .subject: "subject:\"quarterly report\""
        case .body: "body:invoice"
        case .since: "since:2024-01-31"
        case .before: "before:2024-01-31"
        case .on: "on:2024-01-31"
        case .is: "is:unread"
        case .keyword: "keyword:$Label1"
        case .larger: "larger:10K"
        case .smaller: "smaller:2M"
        case .header: "header:X-Mailer:foo"
        case .uid: "uid:100:200"
        case .gmail: "gmail:\"has:attachment older_than:2d\""
        }
    }
}

/// The `is:` values and the IMAP flag criteria they stand for.
enum SearchFlagState: String, CaseIterable, Sendable {
    case unread, read, seen, unseen
    case flagged, unflagged
    case answered, unanswered
    case draft, undraft
    case deleted, undeleted
}
