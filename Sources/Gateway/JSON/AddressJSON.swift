/// `{"name": "Doe, John", "email": "john.doe@example.com"}`; `name` is null when absent.
public struct AddressJSON: Encodable, Sendable, Hashable {
    @ExplicitNull public var name: String?
    public var email: String

    public init(name: String?, email: String) {
        self.name = name
        self.email = email
    }
}
