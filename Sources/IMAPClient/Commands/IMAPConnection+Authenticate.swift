extension IMAPConnection {
    /// Logs in: AUTHENTICATE PLAIN when offered (with SASL-IR when offered), else LOGIN;
    /// OAUTHBEARER or XOAUTH2 for tokens. Refreshes the capabilities afterwards. A refusal throws
    /// `IMAPError.authenticationFailed`, whose text carries the OAuth server's error challenge
    /// (`status=invalid_token, ...`) when it sent one; credentials never reach a log.
    public func authenticate(_ credentials: IMAPCredentials) async throws {
        try await exclusive {
            let offered = capabilities
            let command: Command
            var saslResponse: [UInt8]
            var initialResponse: Bool
            var oauth: OAuthMechanism?
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
            case let .xoauth2(user, token), let .oauth2(user, token):
                let mechanism: OAuthMechanism
                if case .xoauth2 = credentials {
                    guard offered.contains(.authXOAuth2) else { throw IMAPError.missingExtension(.authXOAuth2) }
                    mechanism = .xoauth2
                } else {
                    guard let preferred = OAuthMechanism.preferred(offered: offered) else {
                        throw IMAPError.missingExtension(.authOAuthBearer)
                    }
                    mechanism = preferred
                }
                oauth = mechanism
                saslResponse = try mechanism.initialResponse(user: user, accessToken: token,
                                                             host: configuration.host, port: configuration.port)
                initialResponse = offered.contains(.saslIR)
                command = .authenticate(mechanism: mechanism.rawValue, initialResponse: initialResponse ? saslResponse : nil)
            }
            let generation = state.withLock { $0.capabilityGeneration }
            var sentResponse = initialResponse
            var challenge: OAuthErrorChallenge?
            let tagged = try await send(command, requireOK: false, continuation: { text in
                // First `+`: the SASL response when it was not sent inline. A later `+` is an
                // OAuth server's error (JSON); the client must acknowledge it (RFC 7628 3.2.3:
                // ^A for OAUTHBEARER, empty for XOAUTH2) and the server then answers NO.
                if !sentResponse {
                    sentResponse = true
                    return CommandEncoder.saslResponse(saslResponse)
                }
                if challenge == nil { challenge = OAuthErrorChallenge(challenge: text) }
                return CommandEncoder.saslResponse(oauth?.errorAcknowledgement ?? [])
            })
            saslResponse = []
            switch tagged.status {
            case .ok: break
            case .no:
                var text = tagged.text
                if let challenge { text.text += " (OAuth: \(challenge))" }
                throw IMAPError.authenticationFailed(text)
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
