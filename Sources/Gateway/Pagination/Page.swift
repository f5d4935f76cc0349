import IMAP

/// One page of a listing: which UIDs to fetch, in display order, and the cursor to the next.
public struct Page: Hashable, Sendable {
    /// The UIDs on this page, in the requested order.
    public var uids: [UID]
    /// How many messages matched in all (the listing's `total`).
    public var total: Int
    /// The cursor to the following page; nil on the last page.
    public var nextCursor: Cursor?

    public init(uids: [UID], total: Int, nextCursor: Cursor?) {
        self.uids = uids
        self.total = total
        self.nextCursor = nextCursor
    }
}

extension PageRequest {
    /// Cuts this request's page out of every UID that matched (from `UID SEARCH`, any order).
    /// - Parameter uidValidity: the folder's current UIDVALIDITY.
    /// - Throws: `PageRequestError.uidValidityChanged` (409) when the cursor belongs to another one.
    public func page(of matching: [UID], uidValidity: UInt32) throws(PageRequestError) -> Page {
        if let cursor, cursor.uidValidity != uidValidity {
            throw .uidValidityChanged(cursor: cursor.uidValidity, folder: uidValidity)
        }
        let sorted = Set(matching).sorted()
        var remaining = order == .newest ? Array(sorted.reversed()) : sorted
        if let last = cursor?.lastUID {
            remaining.removeAll { order == .newest ? $0.rawValue >= last : $0.rawValue <= last }
        }
        let uids = Array(remaining.prefix(limit))
        let next = remaining.count > limit
            ? uids.last.map { Cursor(uidValidity: uidValidity, lastUID: $0.rawValue, order: order) }
            : nil
        return Page(uids: uids, total: sorted.count, nextCursor: next)
    }
}
