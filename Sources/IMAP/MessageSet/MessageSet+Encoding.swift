extension MessageRange {
    /// `n`, `n:m` or `n:*` as the wire writes it.
    public var wireText: String {
        guard let upper else { return "\(lower.rawValue):*" }
        return upper == lower ? String(lower.rawValue) : "\(lower.rawValue):\(upper.rawValue)"
    }
}

extension MessageSet {
    /// The set as IMAP writes it (`1:4,7,9:*`), ranges in their current order.
    ///
    /// An empty set has no wire form (RFC 3501 `sequence-set` needs one element); callers check
    /// `isEmpty` first and the command encoder refuses it with a typed error.
    public var wireText: String { ranges.map(\.wireText).joined(separator: ",") }

    /// `wireText` as bytes.
    public var wireBytes: [UInt8] { Array(wireText.utf8) }
}
