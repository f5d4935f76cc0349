import IMAP

/// What happened to one message, as `/changes` reports it.
public enum MirrorChangeKind: UInt8, Sendable, Hashable {
    case created, updated, destroyed
}

/// The answer of `/changes` (RFC 8620 §5.2 Foo/changes, with UIDs as ids), counters rather than
/// state strings: `FolderMirror.changes` wraps them.
public struct MirrorChanges: Sendable, Hashable {
    /// The counter the changes start after.
    public var oldCounter: UInt64
    /// The counter the changes lead to (less than the mirror's when `hasMoreChanges`).
    public var newCounter: UInt64
    public var hasMoreChanges: Bool
    public var created: [UID]
    public var updated: [UID]
    public var destroyed: [UID]
}

/// Why changes since a state cannot be answered.
public enum MirrorChangesError: Error, Sendable, Hashable {
    /// The state is older than the log, from another UIDVALIDITY, or from a mirror that no longer
    /// exists (dropped, evicted, the gateway restarted): the client must reload (410).
    case cannotCalculate
    /// The state was never issued by this mirror (400).
    case invalid
}

/// A bounded log of the changes applied to a mirror, one entry per message change, each with
/// the counter value it produced. Entries older than `capacity` are dropped; asking for changes
/// from before the oldest kept entry is `cannotCalculate`.
public struct MirrorChangeLog: Sendable {
    struct Entry: Sendable {
        var counter: UInt64
        var uid: UID
        var kind: MirrorChangeKind
    }

    /// Most entries kept.
    public let capacity: Int
    /// Entries in counter order; a ring buffer would save the occasional shift, but dropping
    /// happens in halves (see `record`), so the amortised cost per entry is constant.
    private(set) var entries: [Entry] = []
    /// The earliest counter changes can be computed from: every change after it is in `entries`.
    public private(set) var floor: UInt64

    public init(capacity: Int, startingAt counter: UInt64) {
        self.capacity = max(1, capacity)
        self.floor = counter
    }

    /// Appends one change with the counter it produced (strictly increasing).
    mutating func record(_ uid: UID, _ kind: MirrorChangeKind, counter: UInt64) {
        entries.append(Entry(counter: counter, uid: uid, kind: kind))
        if entries.count > capacity {
            // Drop the older half at once: the log stays between capacity/2 and capacity entries.
            let drop = entries.count - capacity / 2
            floor = entries[drop - 1].counter
            entries.removeFirst(drop)
        }
    }

    /// Forgets everything before `counter` (after a reset nothing earlier can be answered).
    mutating func reset(at counter: UInt64) {
        entries.removeAll()
        floor = counter
    }

    /// The changes after `since` up to `current`, at most `maxChanges` UIDs in all.
    ///
    /// JMAP semantics: a UID created and destroyed in the window is left out, created and then
    /// updated is only created, updated and then destroyed is only destroyed. When capped, the
    /// answer stops at an entry boundary and `newCounter` is that entry's counter, so the client
    /// asks again from there.
    public func changes(since: UInt64, current: UInt64, maxChanges: Int?) throws(MirrorChangesError) -> MirrorChanges {
        guard since <= current else { throw .invalid }
        guard since >= floor else { throw .cannotCalculate }
        let start = Self.firstIndex(in: entries, after: since)
        let limit = maxChanges.map { max(1, $0) } ?? Int.max
        // First and last kind per UID, in first-seen order.
        var order: [UID] = []
        var net: [UID: (first: MirrorChangeKind, last: MirrorChangeKind)] = [:]
        var newCounter = current
        var hasMore = false
        var index = start
        while index < entries.count {
            // Every entry of one counter goes in together (one counter per entry today).
            let entry = entries[index]
            if net[entry.uid] == nil, order.count >= limit {
                hasMore = true
                newCounter = entries[index - 1].counter
                break
            }
            if let known = net[entry.uid] {
                net[entry.uid] = (known.first, entry.kind)
            } else {
                net[entry.uid] = (entry.kind, entry.kind)
                order.append(entry.uid)
            }
            index += 1
        }
        var created: [UID] = [], updated: [UID] = [], destroyed: [UID] = []
        for uid in order {
            guard let kinds = net[uid] else { continue }
            switch (kinds.first, kinds.last) {
            case (.created, .destroyed): break
            case (.created, _): created.append(uid)
            case (_, .destroyed): destroyed.append(uid)
            default: updated.append(uid)
            }
        }
        // The counter may also move for changes that touch no message (a new UIDNEXT only).
        return MirrorChanges(oldCounter: since, newCounter: hasMore ? newCounter : current, hasMoreChanges: hasMore,
                             created: created.sorted(), updated: updated.sorted(), destroyed: destroyed.sorted())
    }

    private static func firstIndex(in entries: [Entry], after counter: UInt64) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].counter <= counter { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
