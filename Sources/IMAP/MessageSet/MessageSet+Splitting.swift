extension MessageSet {
    /// The shortest possible wire text of one range (`4294967295:4294967294` is the longest, 21 octets).
    static var longestRangeText: Int { 21 }

    /// Compacts the set and cuts it into sets whose wire text is at most `maxLength` octets each,
    /// so that a command carrying it stays under a server's line limit (Yahoo: 1000 octets).
    ///
    /// The pieces together hold exactly the numbers of the original set, in ascending order.
    /// `maxLength` below 21 is raised to 21 so that every single range fits.
    public func split(maxLength: Int) -> [MessageSet] {
        let limit = Swift.max(maxLength, Self.longestRangeText)
        var pieces: [MessageSet] = []
        var current: [MessageRange<ID>] = []
        var length = 0
        for range in compacted().ranges {
            let text = range.wireText.utf8.count
            let added = current.isEmpty ? text : text + 1
            if length + added > limit, !current.isEmpty {
                pieces.append(MessageSet(ranges: current))
                current = [range]
                length = text
            } else {
                current.append(range)
                length += added
            }
        }
        if !current.isEmpty { pieces.append(MessageSet(ranges: current)) }
        return pieces
    }
}
