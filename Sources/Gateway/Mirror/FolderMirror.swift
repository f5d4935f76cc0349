import IMAP

/// The synchronized copy of one folder of one account: the folder's identifiers and, per UID,
/// the list row, flags and MODSEQ. Pure data: the sync engine fills it from IMAP answers.
///
/// Messages are kept in one array sorted by UID, so a page by position (newest or oldest first,
/// after a cursor) is a binary search and a slice, never a copy of the folder.
public struct FolderMirror: Sendable {
    /// Which mirror this is (states from other instances cannot be answered).
    public let instance: UInt64
    public private(set) var uidValidity: UIDValidity
    /// The server's UIDNEXT as last seen: every UID below it that exists is in `messages` once
    /// `isComplete`.
    public private(set) var uidNext: UID
    /// CONDSTORE's HIGHESTMODSEQ the mirror is current to; nil without CONDSTORE.
    public private(set) var highestModSeq: ModSequence?
    /// Ascending by UID.
    public private(set) var messages: [MirrorMessage] = []
    /// Every existing message with a UID of at least this is mirrored. The background fill lowers
    /// it chunk by chunk; 1 means the whole folder is here.
    public private(set) var coveredFrom: UID
    /// Bumped by every change applied (one per message changed); the `state`'s counter.
    public private(set) var counter: UInt64
    public private(set) var log: MirrorChangeLog
    /// `estimatedBytes` of every message, kept as they change.
    public private(set) var messageBytes = 0
    /// A write through the gateway created a message in this folder (upload, copy, move here)
    /// with this UID, or one from it up when the server did not say, whose row the mirror does
    /// not hold yet: a read must revalidate before answering from the mirror, so that the writer
    /// sees it. Cleared once a sync has brought UIDNEXT past it.
    public private(set) var awaitedUID: UID?

    /// An empty mirror of a folder with these identifiers; nothing is covered yet.
    public init(uidValidity: UIDValidity, uidNext: UID, highestModSeq: ModSequence?, logCapacity: Int = 10_000,
                instance: UInt64? = nil) {
        self.instance = instance ?? MirrorInstance.next()
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.highestModSeq = highestModSeq
        // Nothing below UIDNEXT is known yet: covered from UIDNEXT up (that is, nothing).
        self.coveredFrom = uidNext
        // Start the counter at 1 so a state never carries 0 (readable in logs, nothing more).
        self.counter = 1
        self.log = MirrorChangeLog(capacity: logCapacity, startingAt: 1)
    }

    /// Whether every message of the folder is mirrored.
    public var isComplete: Bool { coveredFrom.rawValue <= 1 }

    /// Whether a read may answer from the mirror without revalidating it first (given a
    /// healthy watcher): complete, and no message created by a write is still missing.
    public var isCurrentForReads: Bool { isComplete && awaitedUID == nil }

    /// Notes that a write created message `uid` here (nil: the server did not say which, so
    /// any from the current UIDNEXT up). Ignored when the mirror has it already, or when
    /// `uidValidity` says the write went to another incarnation of the folder.
    public mutating func awaitCreated(_ uid: UID?, uidValidity validity: UIDValidity? = nil) {
        if let validity, validity != uidValidity { return }
        let awaited = uid ?? uidNext
        if let uid, message(uid) != nil { return }
        guard awaited >= uidNext || uid == nil else { return }
        awaitedUID = max(awaitedUID ?? awaited, awaited)
    }

    /// The `state` string for the mirror as it is now.
    public var state: MirrorState { MirrorState(instance: instance, uidValidity: uidValidity, counter: counter) }

    /// Estimated bytes of the whole mirror: the messages and the change log.
    public var estimatedBytes: Int {
        256 + messageBytes + log.entries.count * MemoryLayout<MirrorChangeLog.Entry>.stride
    }

    // MARK: Reading

    /// The index of the first message with a UID ≥ `uid`.
    public func index(notBelow uid: UID) -> Int {
        var low = 0, high = messages.count
        while low < high {
            let middle = (low + high) / 2
            if messages[middle].uid < uid { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public func message(_ uid: UID) -> MirrorMessage? {
        let index = index(notBelow: uid)
        guard index < messages.count, messages[index].uid == uid else { return nil }
        return messages[index]
    }

    /// Every mirrored UID, ascending.
    public var uids: [UID] { messages.map(\.uid) }

    /// One page by position: `limit` messages after the cursor's UID (exclusive) in `order`, and
    /// whether more follow. Cuts a slice, copying only the page's rows.
    public func page(order: MessageOrder, after cursorUID: UInt32?, limit: Int) -> (rows: [MirrorMessage], hasMore: Bool) {
        if order == .newest {
            let end = cursorUID.map { index(notBelow: UID($0)) } ?? messages.count
            let start = max(0, end - limit)
            return (Array(messages[start..<end].reversed()), start > 0)
        }
        var start = 0
        if let last = cursorUID { start = last == UInt32.max ? messages.count : index(notBelow: UID(last + 1)) }
        let end = min(messages.count, start + limit)
        return (Array(messages[start..<end]), end < messages.count)
    }

    /// Whether a newest-first page after `cursorUID` can be cut from a partly filled mirror:
    /// every message it can contain lies in the covered range.
    public func canServeNewest(after cursorUID: UInt32?, limit: Int) -> Bool {
        if isComplete { return true }
        let end = cursorUID.map { index(notBelow: UID($0)) } ?? messages.count
        // The page's rows are messages[end-limit..<end]; they are all in the covered range, and
        // there are enough of them (else older, not yet mirrored, messages would belong to it).
        return end >= limit && messages[end - limit].uid >= coveredFrom
    }

    /// The changes since `state` (`/changes`), at most `maxChanges` UIDs.
    public func changes(since state: MirrorState, maxChanges: Int?) throws(MirrorChangesError) -> MirrorChanges {
        guard state.instance == instance, state.uidValidity == uidValidity else { throw .cannotCalculate }
        return try log.changes(since: state.counter, current: counter, maxChanges: maxChanges)
    }

    // MARK: Changing

    /// Applies a delta from a sync or from a write's tagged OK; each message changed bumps the
    /// counter and is logged. A different UIDVALIDITY empties the mirror first (every UID is void)
    /// and the log restarts (earlier states become "cannot calculate").
    ///
    /// Flag updates carrying a MODSEQ older than the one held are stale answers and skipped.
    /// Creations of UIDs already held are skipped (a fill chunk racing a sync).
    public mutating func apply(_ delta: MirrorDelta) {
        let validityBefore = uidValidity
        if let validity = delta.uidValidity, validity != uidValidity {
            uidValidity = validity
            messages.removeAll()
            messageBytes = 0
            counter += 1
            log.reset(at: counter)
            coveredFrom = delta.uidNext ?? UID(1)
            uidNext = delta.uidNext ?? UID(1)
            highestModSeq = nil
        }
        for uid in delta.destroyed.sorted() {
            let index = index(notBelow: uid)
            guard index < messages.count, messages[index].uid == uid else { continue }
            messageBytes -= messages[index].estimatedBytes
            messages.remove(at: index)
            bump(uid, .destroyed)
        }
        for update in delta.flagUpdates {
            let index = index(notBelow: update.uid)
            guard index < messages.count, messages[index].uid == update.uid else { continue }
            if let new = update.modSeq, let old = messages[index].modSeq, new < old { continue }
            let changed = messages[index].summary.flags != update.flags
            messageBytes -= messages[index].estimatedBytes
            messages[index].summary.flags = update.flags
            if update.modSeq != nil { messages[index].modSeq = update.modSeq }
            messageBytes += messages[index].estimatedBytes
            if changed { bump(update.uid, .updated) }
        }
        insert(delta.created)
        // A created message proves UIDNEXT is past it, whatever the answer said about UIDNEXT.
        if let last = messages.last, last.uid >= uidNext { uidNext = UID(last.uid.rawValue &+ 1) }
        if let covered = delta.coveredFrom, covered < coveredFrom { coveredFrom = covered }
        if let next = delta.uidNext, next > uidNext {
            uidNext = next
            // Nothing was between the old UIDNEXT and the new one that the delta did not bring:
            // a sync reports every new message, so the covered range does not open a gap.
        }
        if let modSeq = delta.highestModSeq, modSeq > (highestModSeq ?? 0) { highestModSeq = modSeq }
        if let awaited = awaitedUID, uidNext > awaited || (delta.uidValidity != nil && delta.uidValidity != validityBefore) {
            awaitedUID = nil
        }
    }

    private mutating func insert(_ created: [MirrorMessage]) {
        guard !created.isEmpty else { return }
        let sorted = created.sorted { $0.uid < $1.uid }
        if let last = messages.last, let first = sorted.first, first.uid > last.uid {
            // New mail: always above everything held.
            for message in sorted where messages.last.map({ message.uid > $0.uid }) ?? true { add(message, at: messages.count) }
            return
        }
        // A fill chunk below, or a mix: merge in one pass rather than an insert per message.
        var merged: [MirrorMessage] = []
        merged.reserveCapacity(messages.count + sorted.count)
        var old = 0, new = 0
        var added: [MirrorMessage] = []
        while old < messages.count || new < sorted.count {
            if new == sorted.count || (old < messages.count && messages[old].uid < sorted[new].uid) {
                merged.append(messages[old]); old += 1
            } else if old < messages.count, messages[old].uid == sorted[new].uid {
                merged.append(messages[old]); old += 1; new += 1
            } else {
                if merged.last?.uid != sorted[new].uid {
                    merged.append(sorted[new])
                    added.append(sorted[new])
                }
                new += 1
            }
        }
        messages = merged
        for message in added {
            messageBytes += message.estimatedBytes
            bump(message.uid, .created)
        }
    }

    private mutating func add(_ message: MirrorMessage, at index: Int) {
        messages.insert(message, at: index)
        messageBytes += message.estimatedBytes
        bump(message.uid, .created)
    }

    private mutating func bump(_ uid: UID, _ kind: MirrorChangeKind) {
        counter += 1
        log.record(uid, kind, counter: counter)
    }
}
