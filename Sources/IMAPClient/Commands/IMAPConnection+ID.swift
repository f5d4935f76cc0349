extension IMAPConnection {
    /// Tells the server who the client really is before logging in (RFC 2971 ID), when it
    /// offers ID; does nothing otherwise. A gateway logs in on behalf of many clients from one
    /// address, so a server that penalizes failed logins per address (Dovecot's auth penalty)
    /// would punish every user for one guesser: with `x-originating-ip` (and `x-originating-port`)
    /// Dovecot attributes the login to the real client instead, but only when the gateway's
    /// address is in its `login_trusted_networks`; elsewhere the fields are merely logged.
    ///
    /// Returns whether the ID command was sent. The server's own ID answer is ignored, and so is
    /// a NO or BAD: identification is a courtesy, never a reason to fail the login.
    @discardableResult
    public func identify(originatingAddress: String, originatingPort: Int? = nil) async throws -> Bool {
        guard capabilities.contains(.id), !isAuthenticated else { return false }
        var fields: [(key: String, value: String?)] = [("x-originating-ip", originatingAddress)]
        if let originatingPort { fields.append(("x-originating-port", String(originatingPort))) }
        try await exclusive {
            try await send(.id(fields), requireOK: false)
        }
        return true
    }
}
