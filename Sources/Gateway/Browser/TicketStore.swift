import Sockets

/// Short-lived, single-use URL tickets for what a browser cannot send headers with: an
/// `EventSource`, an `<a href>` download, an `<iframe src>` or `<img src>`.
///
/// A ticket is 256 random bits (base64url) that stand for one request: what it holds stays
/// here, in memory, never in the URL: the caller's `Authorization` value (what opens the IMAP
/// session), the account it names and the path it is good for. Presenting a ticket removes it,
/// whatever the outcome, so a ticket seen by someone else (a proxy log, a shoulder) is used up
/// or soon expired. A restart forgets all tickets, which costs a client one more `POST /tickets`.
final class TicketStore: Sendable {
    /// What a ticket stands for.
    struct Ticket: Sendable {
        /// The `Authorization` header value of the request that asked for it.
        let authorization: String
        /// The account it acts for (the IMAP user).
        let user: String
        /// The decoded path segments it is good for.
        let pathSegments: [String]
        let expires: ContinuousClock.Instant
    }

    /// Why a ticket was not accepted.
    enum Refusal: Error, Equatable {
        case unknown
        case expired
        case otherPath
    }

    let lifetime: Duration
    /// Tickets held at most; past it (after dropping expired ones) `issue` refuses.
    let capacity: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let tickets = Protected<[String: Ticket]>([:])

    init(lifetime: Duration, capacity: Int = 10_000, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.now = now
    }

    /// A new ticket for one request to `pathSegments`; nil when the store is full.
    func issue(authorization: String, user: String, pathSegments: [String]) -> (token: String, expires: ContinuousClock.Instant)? {
        let issued = now()
        let ticket = Ticket(authorization: authorization, user: user, pathSegments: pathSegments, expires: issued + lifetime)
        let token = Self.randomToken()
        let stored = tickets.withLock { tickets -> Bool in
            if tickets.count >= capacity { tickets = tickets.filter { $0.value.expires > issued } }
            guard tickets.count < capacity else { return false }
            tickets[token] = ticket
            return true
        }
        return stored ? (token, ticket.expires) : nil
    }

    /// Takes the ticket out (single use) and returns it when it is current and for `pathSegments`.
    func redeem(_ token: String, pathSegments: [String]) -> Result<Ticket, Refusal> {
        guard let ticket = tickets.withLock({ $0.removeValue(forKey: token) }) else { return .failure(.unknown) }
        guard now() < ticket.expires else { return .failure(.expired) }
        guard ticket.pathSegments == pathSegments else { return .failure(.otherPath) }
        return .success(ticket)
    }

    /// Tickets held now (expired ones included until the next sweep).
    var count: Int { tickets.withLock { $0.count } }

    /// 32 bytes from the system's CSPRNG (`SystemRandomNumberGenerator` reads getrandom(2)).
    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return Base64URL.encode(bytes)
    }
}
