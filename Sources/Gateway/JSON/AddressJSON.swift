/// `{"name": "Doe, John", "email": "john.doe@example.com"}`; `name` is null when absent.
public struct AddressJSON: Encodable, Sendable, Hashable {
    public var name: String?
    public var email: String

    public init(name: String?, email: String) {
        self.name = name
        self.email = email
    }

    private enum CodingKeys: String, CodingKey { case name, email }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
    }
}
