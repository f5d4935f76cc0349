import IMAPClient

extension GatewayContext {
    /// A pooled session for `caller`. OAuth sessions are pooled by user, so a token that has
    /// not logged in lately first logs in on a session of its own, which proves it
    /// (`OwnershipProofs`); requests arriving meanwhile with the same token wait for that one
    /// login rather than each paying for one, then share the warm sessions or its refusal.
    func acquireSession(_ caller: Caller, folder: MailboxName?, access: SessionAccess,
                        fresh: Bool = false) async throws -> SessionLease<SessionHandle> {
        let proofs = authenticator.proofs
        switch await proofs.turn(caller.account) {
        case .proven:
            return try await pool.acquire(caller.account.key, preferring: folder, access: access, fresh: fresh) { [self] in
                try await open(for: caller)
            }
        case .refused(let error):
            throw error
        case .prove:
            do {
                let lease = try await pool.acquire(caller.account.key, preferring: folder, access: access, fresh: true) { [self] in
                    try await open(for: caller)
                }
                proofs.finish(caller.account, .proven)
                return lease
            } catch {
                proofs.finish(caller.account, Self.refusesCredentials(error) ? .refused(error) : .undecided)
                throw error
            }
        }
    }

    /// Whether `error` is the server refusing the credentials (not a busy pool or a network fault).
    private static func refusesCredentials(_ error: any Error) -> Bool {
        switch error as? IMAPError {
        case .authenticationFailed?: true
        case .no(_, let text)?:
            switch text.code {
            case .authenticationFailed?, .authorizationFailed?, .expired?: true
            default: false
            }
        default: false
        }
    }
}
