/// A mailbox: `{"name": "Doe, John", "email": "john.doe@example.com"}`.
public struct MailAddress: Sendable, Hashable {
    /// The decoded display name, nil when the address has none.
    public var name: String?
    /// The address (`local@domain`); a quoted local part keeps its quotes.
    public var email: String

    /// An address; pass nil for no display name.
    public init(name: String?, email: String) {
        self.name = name
        self.email = email
    }
}
