import IMAP
import IMAPClient

/// What Gmail's extensions (X-GM-EXT-1) change in the message routes: the `gmail` member of
/// messages and list rows, and the `gmail:` search operator (X-GM-RAW).
enum GmailFields {
    /// The list's fields on this server: with X-GM-EXT-1 the defaults gain `gmail`; without it,
    /// asking for `gmail` (in `fields=`) is the documented 422, as is a `gmail:` search.
    static func fields(_ fields: Set<SummaryField>, explicit: Bool, search: SearchKey,
                       session: any MailSession) async throws(IMAPError) -> Set<SummaryField> {
        let offered = await session.capabilities().contains(.gmail)
        if search.usesGmailRaw && !offered { throw .missingExtension(.gmail) }
        if offered { return explicit ? fields : fields.union([.gmail]) }
        if fields.contains(.gmail) { throw .missingExtension(.gmail) }
        return fields
    }

    /// The FETCH items a single message read adds on this server.
    static func readItems(session: any MailSession) async -> [FetchItem] {
        await session.capabilities().contains(.gmail) ? GmailJSON.fetchItems : []
    }
}

extension SearchKey {
    /// True when the key (or any key inside it) is an X-GM-RAW search.
    var usesGmailRaw: Bool {
        switch self {
        case .gmailRaw: true
        case .not(let inner): inner.usesGmailRaw
        case .or(let a, let b): a.usesGmailRaw || b.usesGmailRaw
        case .and(let keys): keys.contains { $0.usesGmailRaw }
        default: false
        }
    }
}
