/// The paging parameters of `GET /folders/{folder}/messages`: `limit`, `order`, `cursor`.
public struct PageRequest: Hashable, Sendable {
    public static let defaultLimit = 50
    public static let maximumLimit = 500

    /// How many messages the page holds at most (1...500).
    public var limit: Int
    /// Newest (UID descending) or oldest first.
    public var order: MessageOrder
    /// Where the previous page ended; nil for the first page.
    public var cursor: Cursor?

    public init(limit: Int = PageRequest.defaultLimit, order: MessageOrder = .newest, cursor: Cursor? = nil) {
        self.limit = limit
        self.order = order
        self.cursor = cursor
    }

    /// Reads the raw (already percent-decoded) query values; nil means the parameter is absent.
    ///
    /// An empty `cursor=` counts as absent, so a client can echo a null `nextCursor` naively.
    /// With a cursor and no `order`, the cursor's order applies.
    /// - Throws: `PageRequestError` (all 400) naming the parameter at fault.
    public static func parse(limit: String?, order: String?, cursor: String?) throws(PageRequestError) -> PageRequest {
        var request = PageRequest()
        if let limit {
            guard limit.utf8.count <= 3, limit.utf8.allSatisfy({ (48...57).contains($0) }),
                  let value = Int(limit), (1...maximumLimit).contains(value)
            else { throw .invalidLimit(limit) }
            request.limit = value
        }
        if let order {
            guard let value = MessageOrder(rawValue: order) else { throw .invalidOrder(order) }
            request.order = value
        }
        if let cursor, !cursor.isEmpty {
            let decoded: Cursor
            do { decoded = try Cursor.decode(cursor) } catch { throw .malformedCursor }
            if order != nil, decoded.order != request.order {
                throw .orderConflict(cursor: decoded.order, requested: request.order)
            }
            request.order = decoded.order
            request.cursor = decoded
        }
        return request
    }
}
