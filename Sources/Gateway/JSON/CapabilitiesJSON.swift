/// `GET /capabilities`: the server's capabilities and the optional gateway features they enable.
public struct CapabilitiesJSON: Encodable, Sendable, Hashable {
    /// As the server announced them after login, upper-cased, sorted by name: the connection
    /// keeps them as a set, whose order would change from one process to the next.
    public var capabilities: [String]
    public var features: Features

    /// Each flag says whether a gateway feature works against this server. Only features the
    /// gateway really uses are listed: UTF8=ACCEPT is not, because the gateway never ENABLEs it
    /// (names go as modified UTF-7, search text with `CHARSET UTF-8`), so it shows only in
    /// `capabilities`.
    public struct Features: Encodable, Sendable, Hashable {
        /// `POST .../move` is atomic (MOVE); without it the gateway copies, flags and expunges.
        public var move: Bool
        /// UIDPLUS: `DELETE ...?permanent=true` and batch `delete` with `permanent` expunge only
        /// those UIDs (UID EXPUNGE; without it they answer 422 `missing-extension`), and new
        /// UIDs are reported after upload, copy and move.
        public var uidplus: Bool
        /// CONDSTORE: `highestModSeq` on folders.
        public var condstore: Bool
        /// SPECIAL-USE (or XLIST): `specialUse` on folders.
        public var specialUse: Bool
        /// ESEARCH: compact search results.
        public var esearch: Bool
        /// IDLE: `GET /folders/{folder}/events`.
        public var idle: Bool
    }
}
