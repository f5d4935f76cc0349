/// `GET /folders/{folder}`: what SELECT/EXAMINE reports about the folder.
public struct FolderStatusJSON: Encodable, Sendable, Hashable {
    public var name: String
    public var href: String
    public var exists: Int
    public var recent: Int
    @ExplicitNull public var uidNext: UInt32?
    public var uidValidity: UInt32
    public var flags: [String]
    public var permanentFlags: [String]
    public var readOnly: Bool
    /// Only from servers with CONDSTORE; a string would lose nothing, but it fits in 53 bits in practice.
    @ExplicitNull public var highestModSeq: UInt64?
    /// The folder mirror's state (`/changes?since=`); absent with `--mirror off`.
    public var state: String? = nil
}
