extension Array where Element: Comparable {
    /// Whether the elements rise strictly (sorted, no repeats): SEARCH answers usually do, and
    /// then need no sort.
    public var isStrictlyAscending: Bool {
        zip(self, dropFirst()).allSatisfy { $0 < $1 }
    }
}
