/// Size limits the request parser enforces, each with its own status when exceeded.
public struct HTTPParserLimits: Sendable, Hashable {
    /// Longest request target (414).
    public var maxTargetLength: Int
    /// Largest header section, field lines only (431).
    public var maxHeaderBytes: Int
    /// Most field lines (431).
    public var maxHeaderCount: Int
    /// Largest body (413).
    public var maxBodyBytes: Int

    public init(maxTargetLength: Int = 8 * 1024, maxHeaderBytes: Int = 16 * 1024,
                maxHeaderCount: Int = 100, maxBodyBytes: Int = 64 * 1024 * 1024) {
        self.maxTargetLength = maxTargetLength
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }

    /// Longest chunk-size line, extensions included; chunk extensions are otherwise unbounded.
    static let maxChunkLineBytes = 4 * 1024
}
