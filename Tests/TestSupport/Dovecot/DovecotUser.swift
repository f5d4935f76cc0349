/// A login the throwaway Dovecot accepts (passdb passwd-file, `{PLAIN}` scheme).
public struct DovecotUser: Sendable, Hashable, CustomStringConvertible {
    /// The IMAP user name; no colon, no whitespace.
    public var name: String
    /// The password, stored verbatim; anything but a colon or a newline.
    public var password: String

    public init(name: String, password: String) {
        self.name = name
        self.password = password
    }

    /// A password with a space, a double quote and a backslash inside: it must survive
    /// IMAP quoting (`LOGIN "alice" "pa ss\"wo\\rd"`) and SASL PLAIN.
    public static let alice = DovecotUser(name: "alice", password: #"pa ss"wo\rd"#)

    /// A plain second account, e.g. for tests that check per-account pooling.
    public static let bob = DovecotUser(name: "bob", password: "bob-secret")

    /// Never prints the password.
    public var description: String { "DovecotUser(\(name))" }
}
