import Foundation
import HTTPServer

/// Turns a request's `Authorization` header into the IMAP account it acts for, or a 401/429.
///
/// Passthrough credentials are only checked by the IMAP server itself (when the pool opens a
/// session for them); `loginFailed`/`loginSucceeded` feed the outcome back into the throttle.
struct Authenticator: Sendable {
    let mode: AuthMode
    let throttle: LoginThrottle

    init(mode: AuthMode, failureLimit: Int, failureWindow: Duration) {
        self.mode = mode
        throttle = LoginThrottle(limit: failureLimit, window: failureWindow)
    }

    var scheme: AuthScheme {
        if case .account = mode { return .bearer }
        return .basic
    }

    func authenticate(_ request: HTTPRequest) throws(HTTPError) -> Caller {
        let client = request.clientAddress
        switch mode {
        case .passthrough:
            guard let header = request.headers["Authorization"] else {
                throw Problem.unauthorized("Send the IMAP user name and password with HTTP Basic authentication.", scheme: .basic)
            }
            guard let (user, password) = Self.basicCredentials(header) else {
                throw Problem.unauthorized("The Authorization header is not valid HTTP Basic credentials.", scheme: .basic)
            }
            try checkThrottle(client: client, user: user)
            return Caller(account: Account(user: user, password: password), client: client)
        case .account(let account, let keyHashes):
            try checkThrottle(client: client, user: nil)
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
    }

    func loginSucceeded(_ caller: Caller) {
        throttle.recordSuccess(client: caller.client, user: caller.account.user)
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

    /// `Bearer abc` → "abc".
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// `127.0.0.1:5000` → `127.0.0.1`, `[::1]:5000` → `::1`; anything else as it is.
    static func clientAddress(_ remote: String) -> String {
        if remote.hasPrefix("["), let close = remote.firstIndex(of: "]") {
            return String(remote[remote.index(after: remote.startIndex)..<close])
        }
        if remote.filter({ $0 == ":" }).count == 1, let colon = remote.firstIndex(of: ":") {
            return String(remote[..<colon])
        }
        return remote
    }
}
