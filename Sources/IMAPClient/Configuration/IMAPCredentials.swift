/// What a session logs in with. Printing, dumping or logging a value never shows the secret.
public enum IMAPCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// AUTHENTICATE PLAIN when offered, LOGIN otherwise.
    case password(user: String, password: String)
    /// AUTHENTICATE XOAUTH2 (Gmail, Outlook) with an OAuth 2 access token.
    case xoauth2(user: String, accessToken: String)
    /// An OAuth 2 access token through whichever mechanism the server offers: OAUTHBEARER
    /// (RFC 7628) when offered, else XOAUTH2.
    case oauth2(user: String, accessToken: String)

    /// The user name, which is not secret.
    public var user: String {
        switch self {
        case .password(let user, _), .xoauth2(let user, _), .oauth2(let user, _): return user
        }
    }

    public var description: String {
        switch self {
        case .password(let user, _): return "password(user: \(user), password: <redacted>)"
        case .xoauth2(let user, _): return "xoauth2(user: \(user), accessToken: <redacted>)"
        case .oauth2(let user, _): return "oauth2(user: \(user), accessToken: <redacted>)"
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["user": user, "secret": "<redacted>"]) }
}
