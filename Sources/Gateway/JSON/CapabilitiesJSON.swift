/// `GET /capabilities`: the server's capabilities and the optional gateway features they enable.
public struct CapabilitiesJSON: Encodable, Sendable, Hashable {
    /// As the server announced them after login, upper-cased.
    public var capabilities: [String]
    public var features: Features

    /// Each flag says whether a gateway feature works against this server.
    public struct Features: Encodable, Sendable, Hashable {
        /// `POST .../move` is atomic (MOVE); without it the gateway copies, flags and expunges.
        public var move: Bool
        /// UIDPLUS: `DELETE ...?permanent=true` expunges only that UID; new UIDs are reported.
        public var uidplus: Bool
        /// Same as `uidplus`: permanent delete needs UID EXPUNGE.
        public var permanentDelete: Bool
        /// CONDSTORE: `highestModSeq` on folders.
        public var condstore: Bool
        /// SPECIAL-USE (or XLIST): `specialUse` on folders.
        public var specialUse: Bool
        /// ESEARCH: compact search results.
        public var esearch: Bool
        /// UTF8=ACCEPT: UTF-8 folder names and headers on the wire.
        public var utf8: Bool
        /// IDLE: push notifications.
        public var idle: Bool
    }
}
