import HTTPServer
import IMAP
import IMAPClient

/// The one place where failures from below become problem documents (api.md's table).
enum ErrorMapping {
    /// The problem for any error a handler let through; unknown errors are a bare 500.
    static func problem(for error: any Error, scheme: AuthScheme) -> HTTPError {
        switch error {
        case let error as HTTPError: return error
        case let error as IMAPError: return problem(for: error, scheme: scheme)
        case let error as PoolError: return problem(for: error)
        case let error as ConnectionBackoffActive:
            return Problem.retryLater(503, error.reason == .throttled ? "imap-throttled" : "imap-backoff",
                                      title: error.reason == .throttled ? "IMAP server throttling" : "IMAP server refusing connections",
                                      detail: error.description, after: error.remaining)
        case let error as ConnectionBudgetExhausted:
            return Problem.retryLater(503, "connection-budget-exhausted", title: "Account's IMAP connections all in use",
                                      detail: error.description, after: error.retryAfter)
        case let error as PageRequestError:
            return Problem.make(error.status, error.problemType,
                                title: error.status == 409 ? "UIDVALIDITY changed" : "Bad parameter",
                                detail: error.description, extensions: ["parameter": .string(error.parameter)])
        case let error as SearchSyntaxError:
            return Problem.make(400, "bad-search", title: "Bad search", detail: error.description,
                                extensions: ["parameter": "search", "position": .int(error.position)])
        default:
            return HTTPError(status: 500, detail: "An unexpected error occurred.")
        }
    }

    static func problem(for failure: IMAPError, scheme: AuthScheme) -> HTTPError {
        if let throttled = throttled(failure) { return throttled }
        switch failure {
        case .connection, .bye, .disconnected, .protocolViolation, .parse, .startTLSNotOffered:
            return Problem.make(502, "imap-unavailable", title: "IMAP server unavailable", detail: failure.description,
                                extensions: ["imap": .string(failure.description)])
        case .timedOut:
            return Problem.make(504, "imap-timeout", title: "IMAP server timed out", detail: failure.description,
                                extensions: ["imap": .string(failure.description)])
        case .authenticationFailed(let text):
            return Problem.unauthorized("The IMAP server refused these credentials.", scheme: scheme, imap: text.text)
        case .missingExtension(let capability):
            return Problem.make(422, "missing-extension", title: "Missing IMAP extension",
                                detail: "This operation needs the IMAP extension \(capability.rawValue), which the server does not offer.",
                                extensions: ["extension": .string(capability.rawValue)])
        case .invalidArgument(let text):
            return Problem.make(400, "bad-parameter", title: "Bad parameter", detail: "Cannot be sent to the IMAP server: \(text)",
                                extensions: ["imap": .string(text)])
        case .bad(_, let text):
            return Problem.make(502, "imap-rejected", title: "IMAP server rejected the command", detail: failure.description,
                                extensions: ["imap": .string(text.text)])
        case .no(let command, let text):
            let imap: [String: JSONValue] = ["imap": .string(text.text)]
            switch text.code {
            case .nonExistent?, .tryCreate?:
                return Problem.make(404, "not-found", title: "Not found", detail: "The folder does not exist.", extensions: imap)
            case .alreadyExists?:
                return Problem.make(409, "already-exists", title: "Already exists", detail: "The folder exists already.", extensions: imap)
            case .authenticationFailed?, .authorizationFailed?, .expired?:
                return Problem.unauthorized("The IMAP server refused these credentials.", scheme: scheme, imap: text.text)
            case .noPerm?:
                return Problem.make(403, "forbidden", title: "Forbidden", detail: "The IMAP server does not allow this.", extensions: imap)
            case .overQuota?:
                return Problem.make(507, "over-quota", title: "Over quota", detail: "The mailbox is over its quota.", extensions: imap)
            case .inUse?, .unavailable?:
                return Problem.retryLater(503, "imap-busy", title: "IMAP server busy",
                                          detail: "The IMAP server is temporarily unable to do this.", after: .seconds(5))
            // Refusals that are the request's doing, not the server's failure (issue 13): the
            // server's text says why ("Contains '..' part", "Mailbox has children").
            case .cannot? where Self.namesFolder(command), .clientBug?:
                return Problem.make(400, "refused-name", title: "Refused by the IMAP server",
                                    detail: "The IMAP server refused this name: \(text.text)", extensions: imap)
            case .cannot?, .limit?:
                return Problem.make(422, "imap-refused", title: "Refused by the IMAP server",
                                    detail: "The IMAP server cannot do this: \(text.text)", extensions: imap)
            case .other(let name, _)? where name.uppercased() == "HASCHILDREN":
                return Problem.make(409, "has-children", title: "Folder has children",
                                    detail: "Delete or move the folder's children first: \(text.text)", extensions: imap)
            case .badCharset?:
                // The server cannot search text in UTF-8 (RFC 3501 §6.4.4): its limit, and one
                // the client can work around (ASCII terms), not a gateway failure.
                return Problem.make(422, "unsupported-charset", title: "Search charset not supported",
                                    detail: "The IMAP server cannot search for non-ASCII text (it refused UTF-8): \(text.text)",
                                    extensions: imap)
            case .expungeIssued?:
                return Problem.make(409, "expunged", title: "Message expunged",
                                    detail: "The message was expunged meanwhile: \(text.text)", extensions: imap)
            case nil where Self.namesFolder(command) || command == "DELETE":
                // A plain NO to CREATE, RENAME or DELETE (a folder with children, INBOX) is a
                // conflict with the mailbox's state, which the client can resolve.
                return Problem.make(409, "imap-refused", title: "Refused by the IMAP server",
                                    detail: "The IMAP server refused \(command): \(text.text)", extensions: imap)
            default:
                return Problem.make(502, "imap-rejected", title: "IMAP server rejected the command",
                                    detail: "The IMAP server refused \(command).", extensions: imap)
            }
        }
    }

    /// Commands whose NO [CANNOT] is about the folder name the client chose.
    private static func namesFolder(_ command: String) -> Bool {
        command == "CREATE" || command == "RENAME"
    }

    /// Provider throttling (Gmail's `[THROTTLED]`, Office 365's "Suggested Backoff Time"):
    /// 503 with the wait the server asked for, whatever command it came with (`ThrottleAdvice`).
    private static func throttled(_ failure: IMAPError) -> HTTPError? {
        let text: ResponseText
        switch failure {
        case .no(_, let answer), .bad(_, let answer), .bye(let answer), .authenticationFailed(let answer): text = answer
        default: return nil
        }
        guard let after = ThrottleAdvice.retryAfter(text) else { return nil }
        return Problem.retryLater(503, "imap-throttled", title: "IMAP server throttling",
                                  detail: "The IMAP server asks to retry later: \(text.text)", after: after)
    }

    static func problem(for error: PoolError) -> HTTPError {
        switch error {
        case .exhausted:
            return Problem.retryLater(503, "pool-exhausted", title: "No IMAP session free",
                                      detail: error.description, after: .seconds(2))
        case .shuttingDown:
            return Problem.retryLater(503, "shutting-down", title: "Shutting down", detail: error.description, after: .seconds(5))
        }
    }
}
