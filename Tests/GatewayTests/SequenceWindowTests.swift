import IMAP
import Testing
@testable import Gateway

@Suite("Sequence windows of listing pages (no IMAP)")
struct SequenceWindowTests {
    private func wire(_ window: SequenceWindow?) -> String? { window?.set.wireText }

    @Test("the first page is the last `limit` numbers up to `*` (newest) or the first ones (oldest)")
    func firstPage() {
        #expect(wire(.firstPage(order: .newest, limit: 50, exists: 100_000)) == "99951:*")
        #expect(wire(.firstPage(order: .newest, limit: 50, exists: 50)) == "1:*")
        #expect(wire(.firstPage(order: .newest, limit: 500, exists: 3)) == "1:*")
        #expect(wire(.firstPage(order: .oldest, limit: 50, exists: 100_000)) == "1:50")
        #expect(wire(.firstPage(order: .oldest, limit: 50, exists: 50)) == "1:*", "the whole folder fits: `*` also reaches new mail")
        #expect(wire(.firstPage(order: .oldest, limit: 500, exists: 3)) == "1:*")
        #expect(SequenceWindow.firstPage(order: .newest, limit: 50, exists: 0) == nil, "an empty folder has no sequence numbers")
        #expect(SequenceWindow.firstPage(order: .oldest, limit: 50, exists: 0) == nil)
    }

    private func anchor(_ number: UInt32, _ uid: UInt32) -> SequenceWindow.Anchor {
        SequenceWindow.Anchor(sequenceNumber: SequenceNumber(number), uid: UID(uid))
    }

    private func next(_ number: UInt32, _ order: MessageOrder, exists: Int) -> String {
        switch SequenceWindow.after(anchor(number, number * 2), order: order, limit: 50, exists: exists) {
        case .window(let window): window.set.wireText
        case .nothing: "nothing"
        case .unknown: "unknown"
        }
    }

    @Test("the window next to the cursor's message includes it, on the listing's side of it")
    func afterAnchor() {
        #expect(next(1000, .newest, exists: 5000) == "950:1000")
        #expect(next(30, .newest, exists: 5000) == "1:30")
        #expect(next(2, .newest, exists: 5000) == "1:2")
        #expect(next(1, .newest, exists: 5000) == "nothing", "nothing below the first message")
        #expect(next(1000, .oldest, exists: 5000) == "1000:1050")
        #expect(next(4950, .oldest, exists: 5000) == "4950:*", "reaching the end: up to `*`")
        #expect(next(5000, .oldest, exists: 5000) == "5000:*", "only the anchor, to check it")
        #expect(next(5001, .oldest, exists: 5000) == "unknown", "an anchor past EXISTS: the numbers moved")
        #expect(next(5001, .newest, exists: 5000) == "unknown")
    }

    private func fetched(_ pairs: [(UInt32, UInt32)]) -> [SequenceWindow.Fetched] {
        pairs.map { SequenceWindow.Fetched(sequenceNumber: SequenceNumber($0.0), uid: UID($0.1)) }
    }

    private func uids(_ values: [UInt32]) -> [UID] { values.map { UID($0) } }

    /// A first page's window (no anchor); the cut does not look at the range.
    private var noAnchor: SequenceWindow { SequenceWindow(range: .from(SequenceNumber(1)), anchor: nil) }

    private func window(at number: UInt32, _ uid: UInt32) -> SequenceWindow {
        SequenceWindow(range: .from(SequenceNumber(1)), anchor: anchor(number, uid))
    }

    @Test("newest: descending UIDs, `limit` of them, more while the lowest number is above 1")
    func cutNewest() {
        // A stale count fetched one message too many; the newest `limit` stay.
        let answer = fetched([(8, 80), (9, 90), (10, 100), (7, 70)])
        #expect(noAnchor.cut(answer, order: .newest, limit: 3, exists: 10) == .page(uids: uids([100, 90, 80]), hasMore: true))
        #expect(noAnchor.cut(answer, order: .newest, limit: 4, exists: 10) == .page(uids: uids([100, 90, 80, 70]), hasMore: true))
        let bottom = fetched([(1, 3), (2, 5), (3, 9)])
        #expect(window(at: 3, 9).cut(bottom, order: .newest, limit: 50, exists: 3) == .page(uids: uids([5, 3]), hasMore: false))
        #expect(window(at: 3, 9).cut(bottom, order: .newest, limit: 1, exists: 3) == .page(uids: uids([5]), hasMore: true))
    }

    @Test("oldest: ascending UIDs, more while the highest number is below EXISTS")
    func cutOldest() {
        let answer = fetched([(1, 2), (2, 4), (3, 6)])
        #expect(noAnchor.cut(answer, order: .oldest, limit: 3, exists: 4) == .page(uids: uids([2, 4, 6]), hasMore: true))
        #expect(noAnchor.cut(answer, order: .oldest, limit: 3, exists: 3) == .page(uids: uids([2, 4, 6]), hasMore: false))
        #expect(noAnchor.cut(answer, order: .oldest, limit: 2, exists: 3) == .page(uids: uids([2, 4]), hasMore: true))
        #expect(window(at: 1, 2).cut(answer, order: .oldest, limit: 5, exists: 3) == .page(uids: uids([4, 6]), hasMore: false))
        #expect(window(at: 3, 6).cut(fetched([(3, 6)]), order: .oldest, limit: 5, exists: 3) == .page(uids: [], hasMore: false),
                "the anchor alone at the end: an empty last page")
    }

    @Test("the anchor must still hold its UID: expunges reported after it was found move the numbers")
    func movedAnchor() {
        // UID 50 was found at 48, then two messages below it were expunged: 48 now holds UID 52.
        let moved = fetched([(47, 51), (48, 52), (49, 53)])
        #expect(window(at: 48, 50).cut(moved, order: .oldest, limit: 5, exists: 60) == .inconsistent)
        #expect(window(at: 48, 50).cut(fetched([(44, 45), (45, 46), (46, 47), (47, 48), (48, 51)]),
                                       order: .newest, limit: 5, exists: 60) == .inconsistent)
        // The anchor itself was expunged and was the last message.
        #expect(window(at: 20, 200).cut([], order: .oldest, limit: 5, exists: 20) == .inconsistent)
    }

    @Test("answers that do not add up are inconsistent", arguments: [
        ("nothing beyond the anchor", [(10, 100), (11, 110)], UInt32(10), UInt32(100)),
        ("no anchor in the answer", [(10, 100), (11, 110)], UInt32(12), UInt32(200)),
        ("UIDs out of step with numbers", [(10, 110), (11, 100), (12, 200)], UInt32(12), UInt32(200)),
        ("a number twice", [(10, 100), (10, 101), (12, 200)], UInt32(12), UInt32(200)),
        ("a number above EXISTS", [(10, 100), (21, 110)], UInt32(21), UInt32(110)),
    ])
    func inconsistent(what: String, pairs: [(UInt32, UInt32)], at number: UInt32, uid: UInt32) {
        #expect(window(at: number, uid).cut(fetched(pairs), order: .newest, limit: 50, exists: 20) == .inconsistent, "\(what)")
        #expect(noAnchor.cut([], order: .newest, limit: 50, exists: 20) == .inconsistent, "a first page with nothing in it")
    }
}
