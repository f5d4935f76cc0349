@testable import Gateway
import IMAP
import Testing

/// The sync planners fed scripted server answers: which commands they ask for and what they
/// change, in the three modes.
@Suite("Folder mirror sync planner")
struct MirrorSyncPlannerTests {
    typealias Row = MirrorModelTests

    /// A mirror of UIDs 1...10 at MODSEQ 100, UIDNEXT 11.
    static let basis = MirrorBasis(uidValidity: 7, uidNext: UID(11), highestModSeq: 100, uids: (1...10).map { UID($0) })

    static func folder(exists: Int, uidNext: UInt32 = 13, modSeq: ModSequence? = 120, validity: UIDValidity = 7) -> FolderSnapshot {
        FolderSnapshot(uidValidity: validity, uidNext: UID(uidNext), exists: exists, highestModSeq: modSeq)
    }

    /// Runs the planner against `server`, which answers each step; returns the steps' names and
    /// every delta applied, in order.
    static func run(_ planner: inout SyncPlanner, _ server: (SyncStep) -> SyncAnswer) throws -> (steps: [String], deltas: [MirrorDelta]) {
        var steps: [String] = []
        var deltas: [MirrorDelta] = []
        var step = planner.start()
        for _ in 0..<100 {
            switch step {
            case .finished(let delta):
                deltas.append(delta)
                steps.append("finished")
                return (steps, deltas)
            case .apply(let delta):
                deltas.append(delta)
                steps.append("apply")
                step = try planner.next(.applied)
            default:
                steps.append(name(step))
                step = try planner.next(server(step))
            }
        }
        Issue.record("the planner did not finish")
        return (steps, deltas)
    }

    static func name(_ step: SyncStep) -> String {
        switch step {
        case .selectQResync(let parameters): "selectQResync \(parameters.uidValidity) \(parameters.modSeq) \(parameters.knownUIDs?.wireText ?? "-")"
        case .select: "select"
        case .fetchChanges(let modSeq, let vanished): "changes \(modSeq)\(vanished ? " vanished" : "")"
        case .searchAll: "searchAll"
        case .fetchFlags(let set): "flags \(set.wireText)"
        case .fetchSummaries(let set): "summaries \(set.wireText)"
        case .apply: "apply"
        case .finished: "finished"
        }
    }

    static let newRows = [Row.row(11), Row.row(12)]

    @Test("QRESYNC: one SELECT reports flags and expunges, then the new summaries")
    func qresync() throws {
        var planner = SyncPlanner(mode: .qresync, basis: Self.basis, selected: false)
        let run = try Self.run(&planner) { step in
            switch step {
            case .selectQResync:
                return .selected(Self.folder(exists: 10), changed: [FlagUpdate(uid: UID(2), flags: ["\\Seen"], modSeq: 110),
                                                                   FlagUpdate(uid: UID(12), flags: [], modSeq: 119)],
                                 vanished: [UID(3), UID(4)])
            default: return .summaries([Row.row(10)] + Self.newRows)    // `11:*` may bring the last old one too
            }
        }
        #expect(run.steps == ["selectQResync 7 100 1:10", "summaries 11:*", "finished"])
        let delta = try #require(run.deltas.last)
        #expect(delta.destroyed == [UID(3), UID(4)])
        #expect(delta.flagUpdates == [FlagUpdate(uid: UID(2), flags: ["\\Seen"], modSeq: 110)])
        #expect(delta.created.map(\.uid) == [UID(11), UID(12)])
        #expect(delta.highestModSeq == 120 && delta.uidNext == UID(13))
    }

    @Test("QRESYNC on a session that has the folder selected asks UID FETCH CHANGEDSINCE VANISHED")
    func qresyncSelected() throws {
        var planner = SyncPlanner(mode: .qresync, basis: Self.basis, selected: true)
        let run = try Self.run(&planner) { _ in .changes(Self.folder(exists: 9, uidNext: 11), changed: [], vanished: [UID(9)]) }
        #expect(run.steps == ["changes 100 vanished", "finished"])
        #expect(run.deltas.last?.destroyed == [UID(9)])
    }

    @Test("CONDSTORE: changes, new summaries, and the UID list only when the count shows expunges")
    func condStore() throws {
        var noExpunge = SyncPlanner(mode: .condStore, basis: Self.basis, selected: true)
        let quiet = try Self.run(&noExpunge) { step in
            switch step {
            case .fetchChanges:
                // CHANGEDSINCE reports the new messages too (their MODSEQ is above).
                .changes(Self.folder(exists: 12), changed: [FlagUpdate(uid: UID(5), flags: ["\\Flagged"], modSeq: 111),
                                                           FlagUpdate(uid: UID(11), flags: [], modSeq: 115),
                                                           FlagUpdate(uid: UID(12), flags: [], modSeq: 116)], vanished: [])
            default: .summaries(Self.newRows)
            }
        }
        #expect(quiet.steps == ["changes 100", "summaries 11:12", "finished"])
        #expect(quiet.deltas.last?.flagUpdates.map(\.uid) == [UID(5)])
        #expect(quiet.deltas.last?.created.map(\.uid) == [UID(11), UID(12)])
        #expect(quiet.deltas.last?.destroyed == [])

        var expunged = SyncPlanner(mode: .condStore, basis: Self.basis, selected: false)
        let loud = try Self.run(&expunged) { step in
            switch step {
            case .select: .selected(Self.folder(exists: 9), changed: [], vanished: [])
            case .fetchChanges: .changes(Self.folder(exists: 9), changed: [], vanished: [])
            case .searchAll: .uids([1, 2, 4, 5, 6, 8, 9, 10, 11].map { UID($0) })
            default: .summaries([Row.row(11)])
            }
        }
        #expect(loud.steps == ["select", "changes 100", "summaries 11:*", "searchAll", "finished"])
        #expect(loud.deltas.last?.destroyed == [UID(3), UID(7)])
        #expect(loud.deltas.last?.created.map(\.uid) == [UID(11)])
    }

    @Test("neither: a chunked FLAGS diff finds changes, expunges and, from its last chunk to *, new mail")
    func plainDiff() throws {
        var planner = SyncPlanner(mode: .plain, basis: Self.basis, selected: true, flagChunkSize: 4)
        let server = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11].map { UID($0) }    // 6 expunged, 11 new
        let run = try Self.run(&planner) { step in
            switch step {
            case .fetchFlags(let set):
                let asked = server.filter { set.contains($0) }
                return .flags(Self.folder(exists: 10, uidNext: 11), asked.map { FlagUpdate(uid: $0, flags: $0 == UID(2) ? ["\\Seen"] : []) })
            default:
                return .summaries([Row.row(11)])
            }
        }
        #expect(run.steps == ["flags 1:4", "flags 5:8", "flags 9:*", "summaries 11", "finished"])
        let delta = try #require(run.deltas.last)
        #expect(delta.destroyed == [UID(6)])
        #expect(delta.flagUpdates.count == 9)
        #expect(delta.created.map(\.uid) == [UID(11)])
        var mirror = MirrorModelTests.mirror(1...10)
        mirror.apply(delta)
        #expect(mirror.uids == server && mirror.uidNext == UID(12))
        #expect(mirror.message(UID(2))?.flags == ["\\Seen"])
    }

    @Test("neither, on an empty mirror: one FLAGS fetch from UIDNEXT to *")
    func plainEmpty() throws {
        var planner = SyncPlanner(mode: .plain, basis: MirrorBasis(uidValidity: 7, uidNext: UID(5), highestModSeq: nil, uids: []), selected: true)
        let run = try Self.run(&planner) { step in
            if case .fetchFlags = step { return .flags(Self.folder(exists: 0, uidNext: 5), []) }
            return .summaries([])
        }
        #expect(run.steps == ["flags 5:*", "finished"])
    }

    @Test("mail that arrived during CHANGEDSINCE and was left out of it is found by the count and fetched")
    func lateArrival() throws {
        var planner = SyncPlanner(mode: .condStore, basis: Self.basis, selected: true)
        let run = try Self.run(&planner) { step in
            switch step {
            case .fetchChanges: .changes(Self.folder(exists: 11, uidNext: 11), changed: [], vanished: [])
            case .searchAll: .uids((1...11).map { UID($0) })
            default: .summaries([Row.row(11)])
            }
        }
        #expect(run.steps == ["changes 100", "searchAll", "summaries 11", "finished"])
        #expect(run.deltas.last?.created.map(\.uid) == [UID(11)] && run.deltas.last?.destroyed == [])
    }

    @Test("a mirror without HIGHESTMODSEQ is diffed by flags whatever the mode")
    func noModSeq() {
        var basis = Self.basis
        basis.highestModSeq = nil
        #expect(SyncPlanner(mode: .qresync, basis: basis, selected: true).mode == .plain)
    }

    @Test("a fill selects, lists the UIDs and fetches chunks from the newest down, applying each")
    func fill() throws {
        var planner = SyncPlanner(mode: .qresync, basis: nil, selected: false, chunkSize: 4)
        let all = (1...10).map { UID($0 * 2) }
        let run = try Self.run(&planner) { step in
            switch step {
            case .select: return .selected(Self.folder(exists: 10, uidNext: 21), changed: [], vanished: [])
            case .searchAll: return .uids(all)
            case .fetchSummaries(let set): return .summaries((set.identifiers ?? []).map { Row.row($0.rawValue) })
            default: return .applied
            }
        }
        #expect(run.steps == ["select", "searchAll", "summaries 14,16,18,20", "apply", "summaries 6,8,10,12", "apply",
                              "summaries 2,4", "finished"])
        #expect(run.deltas.map(\.coveredFrom) == [UID(14), UID(6), UID(1)])
        #expect(run.deltas.first?.uidValidity == 7 && run.deltas.first?.uidNext == UID(21))
        var mirror = FolderMirror(uidValidity: 7, uidNext: UID(21), highestModSeq: 120)
        for delta in run.deltas { mirror.apply(delta) }
        #expect(mirror.isComplete && mirror.uids == all)
    }

    @Test("a UIDVALIDITY change seen during a resync turns it into a fill")
    func uidValidityChange() throws {
        var planner = SyncPlanner(mode: .qresync, basis: Self.basis, selected: false)
        let run = try Self.run(&planner) { step in
            switch step {
            case .selectQResync: return .selected(Self.folder(exists: 1, uidNext: 2, validity: 8), changed: [], vanished: [])
            case .searchAll: return .uids([UID(1)])
            default: return .summaries([Row.row(1)])
            }
        }
        #expect(run.steps == ["selectQResync 7 100 1:10", "searchAll", "summaries 1", "finished"])
        var mirror = FolderMirror(uidValidity: 7, uidNext: UID(11), highestModSeq: 100)
        for delta in run.deltas { mirror.apply(delta) }
        #expect(mirror.uidValidity == 8 && mirror.uids == [UID(1)] && mirror.isComplete)
    }

    @Test("an empty folder fills at once")
    func emptyFill() throws {
        var planner = SyncPlanner(mode: .plain, basis: nil, selected: false)
        let run = try Self.run(&planner) { _ in .selected(Self.folder(exists: 0, uidNext: 1), changed: [], vanished: []) }
        #expect(run.steps == ["select", "finished"])
        #expect(run.deltas.last?.coveredFrom == UID(1))
    }

    @Test("an answer that does not fit the step is an error, not a wrong mirror")
    func misfit() {
        var planner = SyncPlanner(mode: .plain, basis: nil, selected: false)
        _ = planner.start()
        #expect(throws: SyncPlanError.self) { try planner.next(.uids([])) }
    }
}
