@testable import Gateway
import IMAP
import TestRandom
import Testing

/// The folder mirror's pure model: state strings, the change log with JMAP /changes semantics,
/// paging by position, and the byte budget.
@Suite("Folder mirror model")
struct MirrorModelTests {
    static func row(_ uid: UInt32, flags: [String] = [], modSeq: ModSequence? = nil, subject: String? = nil) -> MirrorMessage {
        var summary = MessageSummaryJSON(uid: uid)
        summary.flags = flags
        summary.subject = subject ?? "Message number \(uid) with a subject longer than fifteen bytes"
        summary.from = [AddressJSON(name: "Ann Example", email: "ann@example.org")]
        summary.size = 1000 + Int(uid)
        return MirrorMessage(uid: UID(uid), summary: summary, modSeq: modSeq)
    }

    static func mirror(_ uids: ClosedRange<UInt32>, logCapacity: Int = 1000) -> FolderMirror {
        var mirror = FolderMirror(uidValidity: 7, uidNext: UID(uids.upperBound + 1), highestModSeq: 10, logCapacity: logCapacity)
        var delta = MirrorDelta()
        delta.created = uids.map { row($0) }
        delta.coveredFrom = UID(1)
        mirror.apply(delta)
        return mirror
    }

    @Test("a state string round-trips; edits, other spellings and garbage are refused")
    func stateStrings() {
        let state = MirrorState(instance: 0xDEAD_BEEF_0000_0001, uidValidity: 1_795_837_560, counter: 42)
        let text = state.description
        #expect(MirrorState(parsing: text) == state)
        #expect(text.allSatisfy { $0.isHexDigit || $0 == "-" })
        // One character changed anywhere, a part with a leading zero, extra parts, empty, huge.
        for index in text.indices where text[index] != "-" {
            var edited = text
            edited.replaceSubrange(index...index, with: text[index] == "1" ? "2" : "1")
            #expect(MirrorState(parsing: edited) == nil, "edited \(edited)")
        }
        #expect(MirrorState(parsing: text.uppercased()) == nil)
        #expect(MirrorState(parsing: "0" + text) == nil)
        #expect(MirrorState(parsing: text + "-1") == nil)
        for garbage in ["", "-", "---", "a-b-c-d", String(repeating: "f", count: 100), "1-2-3-\u{1F600}"] {
            #expect(MirrorState(parsing: garbage) == nil)
        }
        // Two mirrors never share an instance.
        let first = FolderMirror(uidValidity: 1, uidNext: UID(1), highestModSeq: nil)
        let second = FolderMirror(uidValidity: 1, uidNext: UID(1), highestModSeq: nil)
        #expect(first.instance != second.instance)
    }

    @Test("changes follow JMAP: created then destroyed is left out, created then updated is created")
    func changeSemantics() throws {
        var mirror = Self.mirror(1...5)
        let before = mirror.state
        var delta = MirrorDelta()
        delta.created = [Self.row(6), Self.row(7)]
        mirror.apply(delta)
        mirror.apply(flags: [(6, ["\\Seen"]), (2, ["\\Flagged"])])
        mirror.apply(destroy: [7, 3])
        mirror.apply(flags: [(3, ["\\Seen"])])      // gone: no change
        mirror.apply(flags: [(4, [])])              // the same flags: no change
        let changes = try mirror.changes(since: before, maxChanges: nil)
        #expect(changes.created == [UID(6)])
        #expect(changes.updated == [UID(2)])
        #expect(changes.destroyed == [UID(3)])
        #expect(!changes.hasMoreChanges && changes.newCounter == mirror.counter)
        // Updated then destroyed is destroyed only.
        let middle = mirror.state
        mirror.apply(flags: [(1, ["\\Seen"])])
        mirror.apply(destroy: [1])
        let later = try mirror.changes(since: middle, maxChanges: nil)
        #expect(later.created.isEmpty && later.updated.isEmpty && later.destroyed == [UID(1)])
        // Nothing since now.
        let none = try mirror.changes(since: mirror.state, maxChanges: 5)
        #expect(none.created.isEmpty && none.updated.isEmpty && none.destroyed.isEmpty && !none.hasMoreChanges)
    }

    @Test("maxChanges caps the answer; asking on from newState gives the rest")
    func cappedChanges() throws {
        var mirror = Self.mirror(1...3)
        let start = mirror.state
        var delta = MirrorDelta()
        delta.created = (4...20).map { Self.row($0) }
        mirror.apply(delta)
        mirror.apply(flags: [(1, ["\\Seen"])])
        var seen: [UID] = []
        var counter = start.counter
        var rounds = 0
        while true {
            let state = MirrorState(instance: mirror.instance, uidValidity: 7, counter: counter)
            let page = try mirror.changes(since: state, maxChanges: 5)
            #expect(page.created.count + page.updated.count + page.destroyed.count <= 5)
            seen += page.created + page.updated
            counter = page.newCounter
            rounds += 1
            if !page.hasMoreChanges { break }
        }
        #expect(Set(seen) == Set((4...20).map { UID($0) } + [UID(1)]))
        #expect(rounds == 4 && counter == mirror.counter)
    }

    @Test("a state older than the log, from another mirror or UIDVALIDITY cannot be calculated; a future one is invalid")
    func unanswerableStates() throws {
        var mirror = Self.mirror(1...3, logCapacity: 4)
        let old = mirror.state
        mirror.apply(flags: (1...3).map { (UInt32($0), ["\\Seen"]) })
        mirror.apply(flags: (1...3).map { (UInt32($0), ["\\Flagged"]) })
        #expect(throws: MirrorChangesError.cannotCalculate) { try mirror.changes(since: old, maxChanges: nil) }
        let future = MirrorState(instance: mirror.instance, uidValidity: 7, counter: mirror.counter + 1)
        #expect(throws: MirrorChangesError.invalid) { try mirror.changes(since: future, maxChanges: nil) }
        let other = MirrorState(instance: mirror.instance &+ 1, uidValidity: 7, counter: 1)
        #expect(throws: MirrorChangesError.cannotCalculate) { try mirror.changes(since: other, maxChanges: nil) }
        // A UIDVALIDITY change voids everything issued before.
        let beforeReset = mirror.state
        var reset = MirrorDelta(uidValidity: 8, uidNext: UID(1))
        reset.coveredFrom = UID(1)
        mirror.apply(reset)
        #expect(mirror.messages.isEmpty && mirror.uidValidity == 8)
        #expect(throws: MirrorChangesError.cannotCalculate) { try mirror.changes(since: beforeReset, maxChanges: nil) }
        #expect(try mirror.changes(since: mirror.state, maxChanges: nil).created.isEmpty)
    }

    @Test("a stale flag answer (older MODSEQ) does not undo a newer one")
    func staleFlags() {
        var mirror = Self.mirror(1...2)
        var newer = MirrorDelta()
        newer.flagUpdates = [FlagUpdate(uid: UID(1), flags: ["\\Seen"], modSeq: 20)]
        mirror.apply(newer)
        var older = MirrorDelta()
        older.flagUpdates = [FlagUpdate(uid: UID(1), flags: [], modSeq: 15)]
        mirror.apply(older)
        #expect(mirror.message(UID(1))?.flags == ["\\Seen"])
    }

    @Test("random changes: the /changes deltas applied to every earlier snapshot give the mirror now", arguments: [1, 2, 3, 4] as [UInt64])
    func changesReplay(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var mirror = Self.mirror(1...20, logCapacity: 100_000)
        var nextUID: UInt32 = 21
        var snapshots: [(MirrorState, [UID: [String]])] = []
        func contents(_ mirror: FolderMirror) -> [UID: [String]] {
            Dictionary(uniqueKeysWithValues: mirror.messages.map { ($0.uid, $0.flags) })
        }
        let flagChoices: [[String]] = [[], ["\\Seen"], ["\\Flagged"], ["\\Seen", "$Label1"]]
        for _ in 0..<200 {
            if random.next(5) == 0 { snapshots.append((mirror.state, contents(mirror))) }
            var delta = MirrorDelta()
            let held = mirror.uids
            switch random.next(3) {
            case 0:
                delta.created = (0..<random.next(4)).map { _ in
                    defer { nextUID += 1 }
                    return Self.row(nextUID)
                }
                delta.uidNext = UID(nextUID)
            case 1 where !held.isEmpty:
                delta.destroyed = (0..<random.next(3)).map { _ in held[random.next(held.count)] }
            default:
                guard !held.isEmpty else { continue }
                delta.flagUpdates = (0..<random.next(4)).map { _ in
                    FlagUpdate(uid: held[random.next(held.count)], flags: flagChoices[random.next(flagChoices.count)])
                }
            }
            mirror.apply(delta)
        }
        let now = contents(mirror)
        for (state, before) in snapshots {
            var replayed = before
            var counter = state.counter
            while true {
                let changes = try mirror.changes(since: MirrorState(instance: state.instance, uidValidity: 7, counter: counter), maxChanges: 7)
                #expect(Set(changes.created).isDisjoint(with: before.keys), "created UIDs are new")
                for uid in changes.destroyed { replayed[uid] = nil }
                for uid in changes.created + changes.updated { replayed[uid] = mirror.message(uid)?.flags }
                counter = changes.newCounter
                if !changes.hasMoreChanges { break }
            }
            #expect(replayed == now, "replay from counter \(state.counter)")
        }
    }

    @Test("pages by position match the listing's paging over the same UIDs, both orders, with cursors")
    func pagesByPosition() {
        var mirror = Self.mirror(1...40)
        mirror.apply(destroy: [3, 4, 17, 40])
        let uids = mirror.uids
        for order in MessageOrder.allCases {
            for limit in [1, 7, 50] {
                var cursor: Cursor?
                repeat {
                    let request = PageRequest(limit: limit, order: order, cursor: cursor)
                    let expected = try! request.page(of: uids, uidValidity: 7)
                    let page = mirror.page(order: order, after: cursor?.lastUID, limit: limit)
                    #expect(page.rows.map(\.uid) == expected.uids)
                    #expect(page.hasMore == (expected.nextCursor != nil))
                    cursor = expected.nextCursor
                } while cursor != nil
            }
        }
    }

    @Test("a partly filled mirror serves only newest pages that lie in its covered range")
    func partialCoverage() {
        var mirror = FolderMirror(uidValidity: 7, uidNext: UID(101), highestModSeq: nil)
        #expect(!mirror.canServeNewest(after: nil, limit: 1))
        var chunk = MirrorDelta()
        chunk.created = (61...100).map { Self.row($0) }
        chunk.coveredFrom = UID(61)
        mirror.apply(chunk)
        #expect(!mirror.isComplete)
        #expect(mirror.canServeNewest(after: nil, limit: 40))
        #expect(!mirror.canServeNewest(after: nil, limit: 41))
        #expect(mirror.canServeNewest(after: 81, limit: 20))
        #expect(!mirror.canServeNewest(after: 81, limit: 21))
        var rest = MirrorDelta()
        rest.created = (1...60).map { Self.row($0) }
        rest.coveredFrom = UID(1)
        mirror.apply(rest)
        #expect(mirror.isComplete && mirror.uids == (1...100).map { UID($0) })
    }

    @Test("the store keeps the budget by dropping the least recently used folders whole")
    func budgetEviction() {
        let one = Self.mirror(1...100)
        let budget = one.estimatedBytes * 2 + one.estimatedBytes / 2
        let store = MirrorStore(maxBytes: budget)
        let keys = (0..<3).map { MirrorKey(account: "a", folder: "F\($0)") }
        store.update(keys[0]) { $0 = Self.mirror(1...100) }
        store.update(keys[1]) { $0 = Self.mirror(1...100) }
        _ = store.read(keys[0]) { $0.messages.count }       // F0 is now more recent than F1
        store.update(keys[2]) { $0 = Self.mirror(1...100) }
        #expect(store.read(keys[1]) { _ in true } == nil, "the least recently used folder went")
        #expect(store.read(keys[0]) { $0.messages.count } == 100)
        #expect(store.read(keys[2]) { $0.messages.count } == 100)
        let statistics = store.statistics
        #expect(statistics.folders == 2 && statistics.evictions == 1 && statistics.bytes <= budget)
        #expect(statistics.messages == 200)
        // A folder bigger than the whole budget is not kept at all.
        let tiny = MirrorStore(maxBytes: 1000)
        tiny.update(keys[0]) { $0 = Self.mirror(1...100) }
        #expect(tiny.read(keys[0]) { _ in true } == nil && tiny.statistics.bytes == 0)
    }

    @Test("the byte estimate grows with the data and stays near a few hundred bytes per row")
    func byteEstimate() {
        let small = Self.row(1, subject: "short")
        let large = Self.row(1, subject: String(repeating: "x", count: 1000))
        #expect(large.estimatedBytes >= small.estimatedBytes + 1000)
        let mirror = Self.mirror(1...1000)
        let perMessage = mirror.messageBytes / 1000
        #expect(perMessage > MemoryLayout<MirrorMessage>.stride && perMessage < 1000)
    }
}

extension FolderMirror {
    /// Test shorthands: flag updates without MODSEQ, expunges.
    mutating func apply(flags: [(UInt32, [String])]) {
        var delta = MirrorDelta()
        delta.flagUpdates = flags.map { FlagUpdate(uid: UID($0.0), flags: $0.1) }
        apply(delta)
    }

    mutating func apply(destroy uids: [UInt32]) {
        var delta = MirrorDelta()
        delta.destroyed = uids.map { UID($0) }
        apply(delta)
    }
}
