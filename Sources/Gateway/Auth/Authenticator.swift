import Foundation
import HTTPServer
import IMAPClient

/// Turns a request's `Authorization` header into the IMAP account it acts for, or a 401/429.
///
/// Passthrough takes two forms: HTTP Basic (the IMAP user and password), or an OAuth 2.0 access
/// token as `Authorization: Bearer <token>` together with `X-IMAP-User: <mailbox user>`. The
/// header is what tells a token from an account-mode API key: a Bearer credential without it is
/// refused here, so an API key sent to a passthrough gateway by mistake never reaches the IMAP
/// server, and account mode refuses requests that carry it.
///
/// Passthrough credentials are only checked by the IMAP server itself (when the pool opens a
/// session for them); `loginFailed`/`loginSucceeded` feed the outcome back into the throttle.
struct Authenticator: Sendable {
    let mode: AuthMode
    let throttle: LoginThrottle
    /// Which OAuth tokens lately logged in successfully (and so may use warm sessions).
    let proofs: OwnershipProofs
    /// The header that names the mailbox an OAuth access token is for.
    static let userHeader = "X-IMAP-User"

    init(mode: AuthMode, failureLimit: Int, failureWindow: Duration, proofWindow: Duration = .seconds(300)) {
        self.mode = mode
        proofs = OwnershipProofs(lifetime: proofWindow)
        throttle = LoginThrottle(limit: failureLimit, window: failureWindow)
    }

    var scheme: AuthScheme {
        if case .account = mode { return .bearer }
        return .basicOrBearer
    }

    func authenticate(_ request: HTTPRequest) throws(HTTPError) -> Caller {
        // The peer, or behind a trusted proxy the client it reports (HTTPServerConfiguration.trustedProxies).
        let client = request.clientAddress
        switch mode {
        case .passthrough:
            guard let header = request.headers["Authorization"] else {
                throw Problem.unauthorized(
                    "Send the IMAP user name and password with HTTP Basic authentication, or an OAuth 2.0 access token as `Authorization: Bearer <token>` with the mailbox's user name in `\(Self.userHeader)`.",
                    scheme: scheme)
            }
            if Self.authScheme(of: header) == "bearer" {
                let account = try Self.oauthAccount(header, user: request.headers[Self.userHeader], scheme: scheme)
                try checkThrottle(client: client, user: account.user)
                return Caller(account: account, client: client)
            }
            guard let (user, password) = Self.basicCredentials(header) else {
                throw Problem.unauthorized("The Authorization header is neither valid HTTP Basic credentials nor a Bearer token.", scheme: scheme)
            }
            try checkThrottle(client: client, user: user)
            return Caller(account: Account(user: user, password: password), client: client)
        case .account(let account, let keyHashes):
            try checkThrottle(client: client, user: nil)
            guard request.headers[Self.userHeader] == nil else {
                throw Problem.unauthorized(
                    "This gateway runs in account mode and takes API keys only; `\(Self.userHeader)` is for OAuth passthrough. Send `Authorization: Bearer <key>` without it.",
                    scheme: .bearer)
            }
            guard let header = request.headers["Authorization"], let key = Self.bearerToken(header) else {
                throw Problem.unauthorized("Send an API key as `Authorization: Bearer <key>`.", scheme: .bearer)
            }
            let presented = SHA256Digest(of: Array(key.utf8))
            // Check every configured hash without stopping early, so timing says nothing about which matched.
            var matched = false
            for hash in keyHashes { matched = hash.constantTimeEquals(presented) || matched }
            guard matched else {
                throttle.recordFailure(client: client, user: nil)
                throw Problem.unauthorized("The API key is not valid.", scheme: .bearer)
            }
            return Caller(account: account, client: client)
        }
    }

    /// Feeds a failed IMAP login back: it counts toward the 429 limit.
    func loginFailed(_ caller: Caller) {
        throttle.recordFailure(client: caller.client, user: caller.account.user)
        proofs.recordFailure(caller.account)
    }

    func loginSucceeded(_ caller: Caller) {
        throttle.recordSuccess(client: caller.client, user: caller.account.user)
        proofs.recordProof(caller.account)
    }

    private func checkThrottle(client: String, user: String?) throws(HTTPError) {
        if let wait = throttle.retryAfter(client: client, user: user) {
            throw Problem.retryLater(429, "too-many-requests", title: "Too many failed logins",
                                     detail: "Too many failed logins from this client or for this user; try again later.",
                                     after: wait)
        }
    }

    /// `Basic dXNlcjpwYXNz` → ("user", "pass"); the password may contain colons.
    static func basicCredentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":") else { return nil }
        let user = String(decoded[..<colon])
        guard !user.isEmpty else { return nil }
        return (user, String(decoded[decoded.index(after: colon)...]))
    }

    /// An OAuth passthrough caller from `Authorization: Bearer <token>` and `X-IMAP-User`.
    /// The token is checked for shape only (RFC 6750 b64token) and never echoed.
    static func oauthAccount(_ header: String, user: String?, scheme: AuthScheme) throws(HTTPError) -> Account {
        guard let user = user?.trimmingCharacters(in: .whitespaces), !user.isEmpty else {
            throw Problem.unauthorized(
                "A Bearer token here is an OAuth 2.0 access token for the IMAP server and needs the mailbox's user name in `\(userHeader)`. This gateway runs in passthrough mode and takes no API keys.",
                scheme: scheme)
        }
        guard user.utf8.count <= 320, !user.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw Problem.unauthorized("`\(userHeader)` must be a user name of at most 320 bytes without control characters.", scheme: scheme)
        }
        guard let token = bearerToken(header), token.utf8.count <= 16_384, OAuthMechanism.isBearerToken(token) else {
            throw Problem.unauthorized(
                "The Bearer token is not a valid OAuth 2.0 access token (RFC 6750: letters, digits and -._~+/ with trailing =).",
                scheme: scheme)
        }
        return Account(user: user, accessToken: token)
    }

    /// The scheme name of an `Authorization` value, lower-cased.
    static func authScheme(of header: String) -> String? {
        header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).first.map { $0.lowercased() }
    }

    /// `Bearer abc` → "abc".
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
