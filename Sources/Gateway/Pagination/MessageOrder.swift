/// The `order` query parameter: which end of the folder a listing starts from.
public enum MessageOrder: String, Hashable, Sendable, CaseIterable {
    /// By UID descending: the most recently added messages first (the default).
    case newest
    /// By UID ascending.
    case oldest
}
