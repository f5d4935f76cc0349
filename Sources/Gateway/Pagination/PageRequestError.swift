/// Why the paging parameters of a listing were rejected; each case knows its HTTP status.
public enum PageRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `limit` is not a whole number in 1...500.
    case invalidLimit(String)
    /// `order` is neither `newest` nor `oldest`.
    case invalidOrder(String)
    /// `cursor` is not one this server issued.
    case malformedCursor
    /// `order` says one thing and the cursor, which remembers its listing's order, another.
    case orderConflict(cursor: MessageOrder, requested: MessageOrder)
    /// The folder's UIDVALIDITY changed since the cursor was issued: its UIDs mean other messages now.
    case uidValidityChanged(cursor: UInt32, folder: UInt32)

    /// The query parameter at fault.
    public var parameter: String {
        switch self {
        case .invalidLimit: "limit"
        case .invalidOrder, .orderConflict: "order"
        case .malformedCursor, .uidValidityChanged: "cursor"
        }
    }

    /// 409 for a stale cursor (api.md), 400 for everything else.
    public var status: Int {
        if case .uidValidityChanged = self { return 409 }
        return 400
    }

    /// The last part of the problem `type`: `uidvalidity-changed` is the one api.md names.
    public var problemType: String {
        switch self {
        case .uidValidityChanged: "uidvalidity-changed"
        case .malformedCursor: "bad-cursor"
        default: "bad-parameter"
        }
    }

    public var description: String {
        switch self {
        case .invalidLimit(let text):
            "limit must be a whole number from 1 to \(PageRequest.maximumLimit), not '\(text)'"
        case .invalidOrder(let text):
            "order must be 'newest' or 'oldest', not '\(text)'"
        case .malformedCursor:
            CursorError.malformed.description
        case .orderConflict(let cursor, let requested):
            "the cursor continues an order=\(cursor.rawValue) listing but order=\(requested.rawValue) was asked for"
        case .uidValidityChanged(let cursor, let folder):
            "the folder's UIDVALIDITY changed from \(cursor) to \(folder) since the cursor was issued; list again from the start"
        }
    }
}
