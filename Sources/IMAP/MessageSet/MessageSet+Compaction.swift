extension MessageRange {
    /// The upper bound as a number where `*` counts as larger than any real number.
    @usableFromInline
    var upperBound: UInt64 { upper.map { UInt64($0.rawValue) } ?? UInt64(UInt32.max) + 1 }

    /// True when `id` lies inside the range (`n:*` contains every number from n on).
    /// Inlinable, like `MessageSet.contains`: the client asks it of every FETCH response, and
    /// across the module boundary an unspecialised generic call cost ~2.5 % of a page's CPU.
    @inlinable
    public func contains(_ id: ID) -> Bool {
        id.rawValue >= lower.rawValue && UInt64(id.rawValue) <= upperBound
    }
}

extension MessageSet {
    /// The same set, sorted and with overlapping or adjacent ranges merged (`5,1:3,4` → `1:5`).
    ///
    /// `*` is treated as "larger than any number", so `3:*` swallows every range from 3 on. That is
    /// what a client means when it writes `n:*`; the server's own reading of `*` as "the largest
    /// number in use" only differs when that number is below `n`.
    public func compacted() -> MessageSet {
        let sorted = ranges.sorted { ($0.lower.rawValue, $0.upperBound) < ($1.lower.rawValue, $1.upperBound) }
        var merged: [MessageRange<ID>] = []
        merged.reserveCapacity(sorted.count)
        for range in sorted {
            guard let last = merged.last else { merged.append(range); continue }
            // Adjacent (`1:3` then `4`) or overlapping: extend the last range.
            if UInt64(range.lower.rawValue) <= last.upperBound + 1 {
                if range.upperBound > last.upperBound { merged[merged.count - 1].upper = range.upper }
            } else {
                merged.append(range)
            }
        }
        return MessageSet(ranges: merged)
    }

    /// True when any range of the set contains `id`.
    @inlinable
    public func contains(_ id: ID) -> Bool { ranges.contains { $0.contains(id) } }

    /// The numbers in the set in ascending order, without duplicates; nil when the set uses `*`
    /// (which only the server can resolve).
    public var identifiers: [ID]? {
        var result: [ID] = []
        for range in compacted().ranges {
            guard let upper = range.upper else { return nil }
            for raw in range.lower.rawValue...upper.rawValue { result.append(ID(rawValue: raw)) }
        }
        return result
    }
}
