/// How an IMAP command ended, the `result` label of `imap_commands_total`.
enum IMAPCommandResult: String, Sendable, CaseIterable {
    /// Tagged OK.
    case ok
    /// Tagged NO (LOGIN refused included).
    case no
    /// Tagged BAD.
    case bad
    /// No tagged answer: connection lost, timeout, garbage, a value that could not be sent.
    case error

    init(_ failure: MailFailure) {
        switch failure {
        case .rejected, .authenticationFailed: self = .no
        case .badCommand: self = .bad
        case .unreachable, .connectionLost, .timedOut, .missingExtension, .protocolViolation, .invalidArgument: self = .error
        }
    }
}
