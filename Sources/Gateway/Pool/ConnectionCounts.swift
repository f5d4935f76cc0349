/// What `/metrics` shows of the connection budget and the backoff: counts by reason and by
/// purpose only, never by account (user names are personal data).
struct ConnectionCounts: Sendable {
    /// Connections held now, by purpose.
    var inUse: [ConnectionPurpose: Int] = [:]
    /// New connections not made or failed, by reason: `throttled` (the server throttled a login
    /// or command), `refused` (connection refused or dropped before the login finished),
    /// `budget` (the account's budget was used up), `backoff` (held back during a backoff).
    var refused: [String: Int] = [:]

    init() {}

    init(budget: AccountBudget, backoff: ConnectionBackoff) {
        inUse = budget.inUse
        let (failures, heldBack) = backoff.counts
        refused = [
            "throttled": failures[.throttled, default: 0],
            "refused": failures[.refused, default: 0],
            "budget": budget.refusals,
            "backoff": heldBack.values.reduce(0, +),
        ]
    }
}
