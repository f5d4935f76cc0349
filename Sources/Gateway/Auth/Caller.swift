/// Who a request acts for: the IMAP account and the client's address (for throttling).
public struct Caller: Sendable {
    public let account: Account
    /// The client's address without the port.
    public let client: String
}
