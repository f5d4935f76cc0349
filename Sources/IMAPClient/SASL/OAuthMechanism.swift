import IMAP

extension Capability {
    /// RFC 7628: OAuth 2.0 bearer tokens through SASL (Gmail offers it beside XOAUTH2).
    public static let authOAuthBearer = Capability("AUTH=OAUTHBEARER")
}

/// The two SASL mechanisms that carry an OAuth 2.0 access token.
public enum OAuthMechanism: String, Sendable, Hashable, CaseIterable {
    /// RFC 7628, the standard one.
    case oauthBearer = "OAUTHBEARER"
    /// Google's older mechanism, which Microsoft 365 and Yahoo speak too.
    case xoauth2 = "XOAUTH2"

    /// The mechanism to use with a server offering `offered`: OAUTHBEARER when offered (it is
    /// the standard, and it names the server it was meant for), else XOAUTH2; nil when neither is.
    public static func preferred(offered: Set<Capability>) -> OAuthMechanism? {
        if offered.contains(.authOAuthBearer) { return .oauthBearer }
        if offered.contains(.authXOAuth2) { return .xoauth2 }
        return nil
    }

    /// The capability that announces this mechanism.
    public var capability: Capability {
        switch self {
        case .oauthBearer: .authOAuthBearer
        case .xoauth2: .authXOAuth2
        }
    }

    /// The client's one message: the user and the token (and for OAUTHBEARER the server's host
    /// and port, RFC 7628 section 3.1). Throws when the user or token cannot be framed safely:
    /// a ^A would end a field early, so a crafted user name could smuggle in attributes.
    public func initialResponse(user: String, accessToken: String, host: String, port: Int) throws(IMAPError) -> [UInt8] {
        try Self.check(user: user, accessToken: accessToken)
        let separator = "\u{1}"
        switch self {
        case .xoauth2:
            return Array("user=\(user)\(separator)auth=Bearer \(accessToken)\(separator)\(separator)".utf8)
        case .oauthBearer:
            // gs2-header: "n" (no channel binding), the authzid as a saslname ("," and "=" escaped).
            let saslName = user.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
            var message = "n,a=\(saslName),\(separator)"
            if Self.isSafeHost(host) { message += "host=\(host)\(separator)port=\(port)\(separator)" }
            message += "auth=Bearer \(accessToken)\(separator)\(separator)"
            return Array(message.utf8)
        }
    }

    /// What the client answers to the server's error challenge so the exchange ends with a
    /// tagged NO: one ^A for OAUTHBEARER (RFC 7628 section 3.2.3), an empty response for XOAUTH2.
    var errorAcknowledgement: [UInt8] {
        switch self {
        case .oauthBearer: [1]
        case .xoauth2: []
        }
    }

    /// A token is a b64token (RFC 6750 section 2.1); a user name has no control characters.
    static func check(user: String, accessToken: String) throws(IMAPError) {
        guard !user.isEmpty, !user.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidArgument("an OAuth user name must be non-empty and free of control characters")
        }
        guard isBearerToken(accessToken) else {
            throw .invalidArgument("an OAuth access token consists of letters, digits and -._~+/ with trailing =")
        }
    }

    /// RFC 6750's b64token: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
    public static func isBearerToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "=") { end -= 1 }
        guard end > 0 else { return false }
        return bytes[..<end].allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                true
            default:
                false
            }
        }
    }

    private static func isSafeHost(_ host: String) -> Bool {
        !host.isEmpty && !host.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }
}
