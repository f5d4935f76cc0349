import HTTPServer

/// Which routes take a `?ticket=` instead of an `Authorization` header, and the wrapper that
/// turns a ticket back into the credentials it stands for.
enum TicketRedemption {
    /// GET routes a browser opens without being able to add headers.
    static let ticketRoutes: Set<String> = [
        "/folders/{folder}/events",
        "/folders/{folder}/messages/{uid}/raw",
        "/folders/{folder}/messages/{uid}/parts/{partId}",
        "/folders/{folder}/messages/{uid}/html",
    ]

    static func accepts(method: HTTPMethod, pattern: String) -> Bool {
        method == .get && ticketRoutes.contains(pattern)
    }

    /// `handler` behind ticket redemption on ticket routes; others unchanged.
    ///
    /// With `?ticket=` the request runs with the ticket's `Authorization`. A request that also
    /// sends its own `Authorization` must name the same account (403 otherwise): a ticket never
    /// lends one account's access to another.
    static func redeeming(method: HTTPMethod, pattern: String, store: TicketStore, context: GatewayContext,
                          _ handler: @escaping HTTPHandler) -> HTTPHandler {
        guard accepts(method: method, pattern: pattern) else { return handler }
        return { request in
            guard let token = request.query["ticket"] else { return try await handler(request) }
            let ticket: TicketStore.Ticket
            switch store.redeem(token, pathSegments: request.pathSegments) {
            case .success(let found): ticket = found
            case .failure(.unknown):
                throw invalid("The ticket is unknown or was already used; tickets work once. Ask POST /tickets for a new one.")
            case .failure(.expired):
                throw invalid("The ticket expired; tickets are valid for \(store.lifetime.components.seconds) s. Ask POST /tickets for a new one.")
            case .failure(.otherPath):
                throw Problem.make(403, "ticket-scope", title: "Ticket not valid here",
                                   detail: "The ticket was issued for another path; it is now used up.")
            }
            var request = request
            if request.headers.contains("Authorization") {
                let own = try context.caller(of: request)
                guard own.account.user == ticket.user else {
                    throw Problem.make(403, "ticket-account", title: "Ticket of another account",
                                       detail: "The ticket was issued to another account than the credentials sent with it.")
                }
            }
            request.headers.set("Authorization", ticket.authorization)
            do {
                return try await handler(request)
            } catch var error as HTTPError where error.status == 401 {
                // The stored credentials stopped working (a changed password): say so with the
                // ticket challenge, not Basic, or the browser would pop up its login dialog over
                // an EventSource, an image or a download.
                error.headers.set("WWW-Authenticate", ticketChallenge)
                throw error
            }
        }
    }

    /// A 401 must carry a challenge (RFC 9110 §15.5.2); browsers prompt for Basic but not for a
    /// scheme they do not know, so a failed ticket never opens a login dialog over an image.
    static let ticketChallenge = #"Ticket realm="imap-gateway""#

    private static func invalid(_ detail: String) -> HTTPError {
        Problem.make(401, "invalid-ticket", title: "Invalid ticket", detail: detail,
                     headers: ["WWW-Authenticate": ticketChallenge])
    }
}
