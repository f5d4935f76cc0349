/// One range of a sequence set: `n`, `n:m` or `n:*` (`upper == nil` means `*`).
public struct MessageRange<ID: MessageIdentifier>: Hashable, Sendable {
    public var lower: ID
    /// nil stands for `*`, the largest number in use.
    public var upper: ID?

    public init(_ single: ID) { lower = single; upper = single }
    public init(_ lower: ID, _ upper: ID?) {
        if let upper, upper < lower { self.lower = upper; self.upper = lower } else {
            self.lower = lower; self.upper = upper
        }
    }
    /// `n:*`
    public static func from(_ lower: ID) -> MessageRange { MessageRange(lower, nil) }
}

/// A set of UIDs or sequence numbers as IMAP writes it (`1:4,7,9:*`), RFC 3501 `sequence-set`.
///
/// Ranges are kept in the order given; `compacted()` (MessageSet+Compaction.swift) sorts and merges.
public struct MessageSet<ID: MessageIdentifier>: Hashable, Sendable {
    public var ranges: [MessageRange<ID>]
    public init(ranges: [MessageRange<ID>]) { self.ranges = ranges }
    public init(_ ids: some Sequence<ID>) { self.ranges = ids.map { MessageRange($0) } }
    public var isEmpty: Bool { ranges.isEmpty }
}

/// A set of UIDs (`UID FETCH 1:5,9`).
public typealias UIDSet = MessageSet<UID>
/// A set of message sequence numbers (`FETCH 1:5,9`).
public typealias SequenceNumberSet = MessageSet<SequenceNumber>
