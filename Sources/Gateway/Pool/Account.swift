/// An IMAP login the gateway acts for: the user and the secret, held in memory only.
///
/// `description` never shows the secret, so an `Account` is safe to interpolate into logs.
public struct Account: Sendable, CustomStringConvertible {
    public let user: String
    let password: String
    /// What the pool files sessions under.
    public let key: AccountKey

    public init(user: String, password: String) {
        self.user = user
        self.password = password
        key = AccountKey(user: user, secretHash: SHA256Digest(of: Array(password.utf8)))
    }

    public var description: String { "Account(\(user))" }
}

/// The pool's key: user plus a hash of the secret, so sessions opened with one password are
/// never handed to a request that presented another.
public struct AccountKey: Hashable, Sendable, CustomStringConvertible {
    public let user: String
    let secretHash: SHA256Digest

    public var description: String { user }
}
