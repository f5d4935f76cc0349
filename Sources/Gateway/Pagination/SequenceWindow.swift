import IMAP

/// The arithmetic of a listing page read by message sequence number: which `FETCH` window to ask
/// for, and how to cut the page out of the answer. Pure, so it is tested without a server.
///
/// In a selected folder the sequence numbers 1...EXISTS run in UID order, so the newest `limit`
/// messages are `EXISTS-limit+1:*` and the page after the message at sequence number `s` lies
/// next to `s`. A page then costs a window, not a `UID SEARCH ALL` of the folder.
///
/// Sequence numbers shift with every expunge. The cursor's message is found with `UID FETCH u`,
/// which may also report expunges (after its answer for `u`), so the window includes `s` itself:
/// the cut checks that `s` still holds `u`, and then the numbering the window was computed in is
/// the one the FETCH was answered in (FETCH may not report expunges) and the window is exact.
/// Anything that does not add up is `.inconsistent`, for the caller to answer from `UID SEARCH`.
struct SequenceWindow: Hashable, Sendable {
    /// What to FETCH; `upper` nil is `*`.
    var range: MessageRange<SequenceNumber>
    /// The cursor's message, which the window includes to check the numbering; nil on a first page.
    var anchor: Anchor?

    /// A message known by UID and by sequence number.
    struct Anchor: Hashable, Sendable {
        var sequenceNumber: SequenceNumber
        var uid: UID
    }

    /// The set to send.
    var set: SequenceNumberSet { SequenceNumberSet(ranges: [range]) }

    /// The window of the first page, or nil when the folder is empty as far as the session knows
    /// (servers refuse a sequence set in an empty folder; the SEARCH path costs nothing there).
    ///
    /// Newest: `max(1, exists-limit+1):*`. The `*` reaches messages the session heard of after
    /// `exists` was read, so a stale count fetches more, never less; the cut keeps `limit`.
    /// Oldest: `1:limit`, or `1:*` when the whole folder fits, for the same reason.
    static func firstPage(order: MessageOrder, limit: Int, exists: Int) -> SequenceWindow? {
        guard exists > 0, limit > 0 else { return nil }
        switch order {
        case .newest:
            return SequenceWindow(range: .from(number(max(1, exists - limit + 1))))
        case .oldest:
            return SequenceWindow(range: exists > limit ? MessageRange(number(1), number(limit)) : .from(number(1)))
        }
    }

    /// Where the page after the cursor's message lies.
    enum Next: Hashable, Sendable {
        /// FETCH this window (it includes the anchor).
        case window(SequenceWindow)
        /// Nothing lies on that side: the page is empty and the last.
        case nothing
        /// The numbers do not add up (the anchor lies past EXISTS): ask `UID SEARCH`.
        case unknown
    }

    /// The window next to the cursor's message `anchor` in a folder of `exists` messages.
    ///
    /// Newest: `max(1, s-limit):s`. Oldest: `s:s+limit`, or `s:*` when that reaches the end.
    static func after(_ anchor: Anchor, order: MessageOrder, limit: Int, exists: Int) -> Next {
        let position = Int(anchor.sequenceNumber.rawValue)
        guard limit > 0, position <= exists else { return .unknown }
        switch order {
        case .newest:
            guard position > 1 else { return .nothing }
            return .window(SequenceWindow(range: MessageRange(number(max(1, position - limit)), anchor.sequenceNumber), anchor: anchor))
        case .oldest:
            let upper = position + limit
            let range = upper >= exists ? .from(anchor.sequenceNumber) : MessageRange(anchor.sequenceNumber, number(upper))
            return .window(SequenceWindow(range: range, anchor: anchor))
        }
    }

    /// One message of the FETCH answer.
    typealias Fetched = Anchor

    /// The page cut from a window's answer.
    enum Cut: Hashable, Sendable {
        /// The page's UIDs in display order, and whether messages lie beyond them.
        case page(uids: [UID], hasMore: Bool)
        /// The answer does not add up (the anchor moved, nothing where messages should be,
        /// sequence numbers and UIDs out of step, repeats): answer from `UID SEARCH` instead.
        case inconsistent
    }

    /// Cuts the page out of `fetched` (this window's FETCH answer, any order); `exists` is the
    /// folder's EXISTS after the FETCH.
    func cut(_ fetched: [Fetched], order: MessageOrder, limit: Int, exists: Int) -> Cut {
        let ascending = fetched.sorted { $0.sequenceNumber < $1.sequenceNumber }
        // In one view of a folder, sequence number order is UID order; anything else means the
        // numbers moved under us.
        for (earlier, later) in zip(ascending, ascending.dropFirst())
        where earlier.sequenceNumber == later.sequenceNumber || earlier.uid >= later.uid {
            return .inconsistent
        }
        if let last = ascending.last, Int(last.sequenceNumber.rawValue) > exists { return .inconsistent }
        if let anchor, !ascending.contains(anchor) { return .inconsistent }
        let beyond: [Fetched]
        switch (order, anchor) {
        case (.newest, let anchor?): beyond = ascending.filter { $0.uid < anchor.uid }
        case (.oldest, let anchor?): beyond = ascending.filter { $0.uid > anchor.uid }
        case (_, nil): beyond = ascending
        }
        let kept = order == .newest ? Array(beyond.suffix(limit).reversed()) : Array(beyond.prefix(limit))
        guard let end = kept.last else {
            // Nothing beyond the anchor is right only when the window held nothing else.
            let onlyAnchor = anchor.map { Int($0.sequenceNumber.rawValue) >= exists && order == .oldest } ?? false
            return onlyAnchor ? .page(uids: [], hasMore: false) : .inconsistent
        }
        let hasMore = order == .newest ? end.sequenceNumber.rawValue > 1 : Int(end.sequenceNumber.rawValue) < exists
        return .page(uids: kept.map(\.uid), hasMore: hasMore)
    }

    private static func number(_ value: Int) -> SequenceNumber {
        SequenceNumber(UInt32(clamping: value))
    }
}
