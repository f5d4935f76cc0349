/// Everything an IMAP operation can fail with, carrying what the gateway needs to pick an HTTP
/// status (the server's response code stays inside `ResponseText`) and a person needs to act.
public enum IMAPError: Error, Sendable, CustomStringConvertible {
    /// The TCP or TLS connection failed (refused, unresolvable, certificate, reset...).
    case connection(SocketError)
    /// No answer within the command timeout; the connection is closed.
    case timedOut(command: String)
    /// The server refused the command (`NO`); `TRYCREATE`, `NONEXISTENT`, `ALREADYEXISTS`... are in the text's code.
    case no(command: String, ResponseText)
    /// The server did not understand the command (`BAD`), or is throttling (Exchange).
    case bad(command: String, ResponseText)
    /// The server closed the session (`* BYE`).
    case bye(ResponseText)
    /// Wrong credentials or login refused.
    case authenticationFailed(ResponseText)
    /// STARTTLS was required but the server does not offer it; nothing was sent in clear.
    case startTLSNotOffered
    /// The operation needs an extension the server lacks (UIDPLUS for a safe expunge, IDLE...).
    case missingExtension(Capability)
    /// The server sent something IMAP does not allow at this point.
    case protocolViolation(String)
    /// A response could not be parsed in a way that ends the connection (too large, too long).
    case parse(IMAPParseError)
    /// The connection is closed (after BYE, an error, a timeout, `close()` or `logout()`).
    case disconnected
    /// A value cannot be sent (a NUL in a string, an invalid keyword...).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .connection(let error): return "IMAP connection failed: \(error)"
        case .timedOut(let command): return "IMAP server did not answer \(command) in time"
        case .no(let command, let text): return "IMAP server refused \(command): \(Self.describe(text))"
        case .bad(let command, let text): return "IMAP server rejected \(command) as invalid: \(Self.describe(text))"
        case .bye(let text): return "IMAP server closed the session: \(Self.describe(text))"
        case .authenticationFailed(let text): return "IMAP login failed: \(Self.describe(text))"
        case .startTLSNotOffered: return "IMAP server does not offer STARTTLS; refusing to continue without TLS"
        case .missingExtension(let capability): return "IMAP server lacks the \(capability) extension needed for this operation"
        case .protocolViolation(let what): return "IMAP protocol violation: \(what)"
        case .parse(let error): return "IMAP response could not be read: \(error)"
        case .disconnected: return "IMAP connection is closed"
        case .invalidArgument(let what): return "invalid IMAP argument: \(what)"
        }
    }

    /// `[CODE] text` for messages.
    static func describe(_ text: ResponseText) -> String {
        guard let code = text.code else { return text.text }
        return "[\(code.wireText)] \(text.text)"
    }
}

extension IMAPError {
    /// The response code of a NO/BAD/BYE/authentication failure, if the server sent one.
    public var responseCode: ResponseCode? {
        switch self {
        case .no(_, let text), .bad(_, let text), .bye(let text), .authenticationFailed(let text): return text.code
        default: return nil
        }
    }
}
