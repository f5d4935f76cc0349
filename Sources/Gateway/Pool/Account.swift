import IMAPClient

/// An IMAP login the gateway acts for: the user and the secret, held in memory only.
///
/// `description` never shows the secret, so an `Account` is safe to interpolate into logs.
public struct Account: Sendable, CustomStringConvertible {
    public let user: String
    /// The password (empty for an OAuth account).
    let password: String
    /// How the session logs in: the password, or an OAuth access token.
    let credentials: IMAPCredentials
    /// What the pool files sessions under.
    public let key: AccountKey

    public init(user: String, password: String) {
        self.user = user
        self.password = password
        credentials = .password(user: user, password: password)
        key = AccountKey(user: user, kind: .password, secretHash: SHA256Digest(of: Array(password.utf8)))
    }

    /// An OAuth 2.0 passthrough caller: sessions log in with OAUTHBEARER or XOAUTH2.
    ///
    /// All of a user's OAuth sessions share one pool key whatever token opened them, so a token
    /// the client refreshed reuses the warm sessions instead of opening more beside them. That
    /// is only safe because a token must have logged in lately before a request may use them
    /// (`OwnershipProofs`, `GatewayContext.proveOwnership`): the key itself carries no secret.
    public init(user: String, accessToken: String) {
        self.user = user
        password = ""
        credentials = .oauth2(user: user, accessToken: accessToken)
        key = AccountKey(user: user, kind: .oauth, secretHash: SHA256Digest(of: []))
    }

    /// The SHA-256 of the access token (nil for a password account): what proves ownership.
    var tokenHash: SHA256Digest? {
        if case .oauth2(_, let token) = credentials { return SHA256Digest(of: Array(token.utf8)) }
        return nil
    }

    public var description: String { "Account(\(user))" }
}

/// The pool's key: user plus a hash of the secret, so sessions opened with one password are
/// never handed to a request that presented another. OAuth sessions are keyed by the user alone
/// (`kind` keeps them apart from password sessions of the same name).
public struct AccountKey: Hashable, Sendable, CustomStringConvertible {
    /// How the sessions under a key logged in.
    public enum Kind: Hashable, Sendable {
        case password
        case oauth
    }

    public let user: String
    public let kind: Kind
    let secretHash: SHA256Digest

    public var description: String { user }
}
