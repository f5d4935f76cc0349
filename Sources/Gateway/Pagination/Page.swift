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

    /// A page whose cursor, when more follow, continues after its last UID.
    public init(uids: [UID], total: Int, hasMore: Bool, uidValidity: UInt32, order: MessageOrder) {
        let next = hasMore ? uids.last.map { Cursor(uidValidity: uidValidity, lastUID: $0.rawValue, order: order) } : nil
        self.init(uids: uids, total: total, nextCursor: next)
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
        // UID SEARCH answers ascending; sort (and drop repeats) only when it did not.
        let sorted = matching.isStrictlyAscending ? matching : Set(matching).sorted()
        // Work with indices into the ascending list: a page costs O(limit + log n), not O(n).
        let uids: [UID]
        let hasMore: Bool
        if order == .newest {
            var end = sorted.count
            if let last = cursor?.lastUID { end = Self.firstIndex(in: sorted, notBelow: last) }
            let start = max(0, end - limit)
            uids = Array(sorted[start..<end].reversed())
            hasMore = start > 0
        } else {
            var start = 0
            if let last = cursor?.lastUID {
                start = last == UInt32.max ? sorted.count : Self.firstIndex(in: sorted, notBelow: last + 1)
            }
            let end = min(sorted.count, start + limit)
            uids = Array(sorted[start..<end])
            hasMore = end < sorted.count
        }
        return Page(uids: uids, total: sorted.count, hasMore: hasMore, uidValidity: uidValidity, order: order)
    }

    /// The index of the first UID ≥ `value` in an ascending list (binary search).
    static func firstIndex(in sorted: [UID], notBelow value: UInt32) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].rawValue < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
