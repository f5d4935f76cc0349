extension Capability {
    /// RFC 3691: leave a mailbox without expunging.
    static let unselect = Capability("UNSELECT")
}
