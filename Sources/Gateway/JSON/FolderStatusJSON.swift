/// `GET /folders/{folder}`: what SELECT/EXAMINE reports about the folder.
public struct FolderStatusJSON: Encodable, Sendable, Hashable {
    public var name: String
    public var href: String
    public var exists: Int
    public var recent: Int
    public var uidNext: UInt32?
    public var uidValidity: UInt32
    public var flags: [String]
    public var permanentFlags: [String]
    public var readOnly: Bool
    /// Only from servers with CONDSTORE; a string would lose nothing, but it fits in 53 bits in practice.
    public var highestModSeq: UInt64?

    private enum CodingKeys: String, CodingKey {
        case name, href, exists, recent, uidNext, uidValidity, flags, permanentFlags, readOnly, highestModSeq
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(href, forKey: .href)
        try container.encode(exists, forKey: .exists)
        try container.encode(recent, forKey: .recent)
        try container.encode(uidNext, forKey: .uidNext)
        try container.encode(uidValidity, forKey: .uidValidity)
        try container.encode(flags, forKey: .flags)
        try container.encode(permanentFlags, forKey: .permanentFlags)
        try container.encode(readOnly, forKey: .readOnly)
        try container.encode(highestModSeq, forKey: .highestModSeq)
    }
}
