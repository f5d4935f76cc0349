import IMAP
import MIME

/// The `References` header a mirror keeps per message for threading (In-Reply-To comes with the
/// ENVELOPE): fetched with the mirror's summaries as `BODY.PEEK[HEADER.FIELDS (REFERENCES)]`,
/// unfolded, reduced to its message identifiers joined by one space, and capped at `maxBytes`
/// so that a hostile header cannot take the mirror's byte budget.
enum ReferencesHeader {
    /// Bytes kept at most (the identifiers and the spaces between them).
    static let maxBytes = 2_048

    static let fetchItem = FetchItem.headerFields(["REFERENCES"])

    /// The header's identifiers in `response`, nil when the message has none (or the item was
    /// not fetched).
    static func value(in response: FetchResponse) -> String? {
        for case .body(let section, _, let data) in response.attributes where section.uppercased().hasPrefix("HEADER.FIELDS") {
            guard let data, data.count > 2 else { return nil }
            return capped(MIMEMessage.parse(data).references)
        }
        return nil
    }

    /// The identifiers joined by a space, within `maxBytes`. Beyond it the first identifier
    /// (the thread's root) and as many of the last ones (the nearest ancestors) as fit are kept,
    /// the trimming RFC 5322 §3.6.4 suggests; an identifier longer than the cap on its own is
    /// dropped.
    static func capped(_ ids: [String]) -> String? {
        let ids = ids.filter { $0.utf8.count < maxBytes }
        guard let first = ids.first else { return nil }
        let whole = ids.joined(separator: " ")
        if whole.utf8.count <= maxBytes { return whole }
        var used = first.utf8.count
        var tail: [String] = []
        for id in ids.dropFirst().reversed() {
            guard used + 1 + id.utf8.count <= maxBytes else { break }
            used += 1 + id.utf8.count
            tail.append(id)
        }
        return ([first] + tail.reversed()).joined(separator: " ")
    }
}
