extension IMAPConnection {
    /// Logs in: AUTHENTICATE PLAIN when offered (with SASL-IR when offered), else LOGIN; XOAUTH2
    /// for tokens. Refreshes the capabilities afterwards. A refusal throws
    /// `IMAPError.authenticationFailed`; credentials never reach a log.
    public func authenticate(_ credentials: IMAPCredentials) async throws {
        try await exclusive {
            let offered = capabilities
            let command: Command
            var saslResponse: [UInt8]
            var initialResponse: Bool
            switch credentials {
            case let .password(user, password):
                if offered.contains(.authPlain) {
                    // authzid empty, authcid, password (RFC 4616).
                    saslResponse = [0] + Array(user.utf8) + [0] + Array(password.utf8)
                    initialResponse = offered.contains(.saslIR)
                    command = .authenticate(mechanism: "PLAIN", initialResponse: initialResponse ? saslResponse : nil)
                } else if offered.contains(.loginDisabled) {
                    throw IMAPError.missingExtension(.authPlain)
                } else {
                    saslResponse = []
                    initialResponse = true
                    command = .login(user: user, password: password)
                }
            case let .xoauth2(user, token):
                guard offered.contains(.authXOAuth2) else { throw IMAPError.missingExtension(.authXOAuth2) }
                saslResponse = Array("user=\(user)\u{1}auth=Bearer \(token)\u{1}\u{1}".utf8)
                initialResponse = offered.contains(.saslIR)
                command = .authenticate(mechanism: "XOAUTH2", initialResponse: initialResponse ? saslResponse : nil)
            }
            let generation = state.withLock { $0.capabilityGeneration }
            var sentResponse = initialResponse
            let tagged = try await send(command, requireOK: false, continuation: { _ in
                // First `+`: the SASL response when it was not sent inline. Any later `+` (XOAUTH2
                // sends its error this way) is answered with an empty line so the server ends with NO.
                if !sentResponse {
                    sentResponse = true
                    return CommandEncoder.saslResponse(saslResponse)
                }
                return [13, 10]
            })
            saslResponse = []
            switch tagged.status {
            case .ok: break
            case .no: throw IMAPError.authenticationFailed(tagged.text)
            default: throw IMAPError.bad(command: command.name, tagged.text)
            }
            state.withLock { $0.authenticated = true }
            // Servers announce more after login; use the OK's list or ask again.
            if state.withLock({ $0.capabilityGeneration }) == generation {
                try await send(.capability)
            }
        }
    }
}
