import Foundation
import IMAP

/// The JSON an OAuth SASL server sends in its `+` challenge when it refuses a token (RFC 7628
/// section 3.2.2; XOAUTH2 servers send the same shape), e.g. Gmail's
/// `{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}`.
///
/// It says why (an expired token, a missing scope), which the tagged NO that follows does not.
public struct OAuthErrorChallenge: Sendable, Hashable, CustomStringConvertible {
    /// `invalid_token`, `insufficient_scope`, or an HTTP status such as `401`.
    public var status: String?
    /// The scope the server wants.
    public var scope: String?
    /// The schemes it accepts (`bearer`).
    public var schemes: String?
    /// Where the server's OpenID configuration is.
    public var openIDConfiguration: String?

    /// Parses a challenge's text (base64 of the JSON); nil when it is empty or not such JSON.
    public init?(challenge text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let data = Data(base64Encoded: trimmed),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        func field(_ name: String) -> String? {
            switch object[name] {
            case let string as String: Self.printable(string)
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
        status = field("status")
        scope = field("scope")
        schemes = field("schemes")
        openIDConfiguration = field("openid-configuration")
        guard status != nil || scope != nil || schemes != nil || openIDConfiguration != nil else { return nil }
    }

    /// `status=invalid_token, scope=mail`: the fields the server sent, for the 401's detail.
    public var description: String {
        [("status", status), ("scope", scope), ("schemes", schemes), ("openid-configuration", openIDConfiguration)]
            .compactMap { name, value in value.map { "\(name)=\($0)" } }
            .joined(separator: ", ")
    }

    /// At most 200 printable characters: the text goes into logs and problem documents.
    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }).prefix(200))
    }
}
