import Foundation
import Testing
import TestSupport
@testable import IMAPClient

@Suite("FETCH by sequence number against Dovecot")
struct SequenceFetchTests {
    @Test("a window `n:*` brings the last messages with their sequence numbers and UIDs")
    func window() async throws {
        let (connection, _, uids) = try await TestServer.folderWithMessages((1...10).map { "s\($0)" })
        let last = try await connection.fetch(SequenceNumberSet(ranges: [.from(SequenceNumber(8))]), [.envelope, .flags])
        #expect(last.map(\.sequenceNumber.rawValue) == [8, 9, 10])
        #expect(last.map(\.uid) == Array(uids[7...9]))
        #expect(last.map { $0.envelope?.subject } == ["s8", "s9", "s10"])
        #expect(last.allSatisfy { $0.flags != nil })
        let middle = try await connection.fetch(SequenceNumberSet(ranges: [MessageRange(SequenceNumber(3), SequenceNumber(4))]), [])
        #expect(middle.map(\.sequenceNumber.rawValue) == [3, 4], "UID is added when no item is asked for")
        #expect(middle.map(\.uid) == [uids[2], uids[3]])
        #expect(try await connection.fetch(SequenceNumberSet(ranges: []), [.uid]).isEmpty)
        await connection.logout()
    }

    @Test("after another session expunges, a UID FETCH tells the new sequence number and EXISTS follows")
    func shiftsAfterExpunge() async throws {
        let (connection, folder, uids) = try await TestServer.folderWithMessages((1...10).map { "x\($0)" })
        let other = try await TestServer.session()
        _ = try await other.select(folder, readOnly: false)
        try await other.uidStore(UIDSet([uids[2]]), .add([.deleted]), silent: true)
        try await other.uidExpunge(UIDSet([uids[2]]))
        await other.logout()

        // Until the server tells this session (at a sync point of its choosing), the numbering
        // stays as it was; UID FETCH may carry the EXPUNGE, and then numbers like the server.
        var anchor: [FetchResponse] = []
        let shifted = try await eventually {
            anchor = try await connection.uidFetch(UIDSet([uids[5]]), [.uid])
            return anchor.first?.sequenceNumber.rawValue != 6
        }
        #expect(shifted, "Dovecot never reported the EXPUNGE during UID FETCH")
        #expect(anchor.map(\.sequenceNumber.rawValue) == [5], "the sixth message is now the fifth")
        #expect(connection.selected?.exists == 9)
        let window = try await connection.fetch(SequenceNumberSet(ranges: [MessageRange(SequenceNumber(2), SequenceNumber(4))]), [.uid])
        #expect(window.map(\.uid) == [uids[1], uids[3], uids[4]])
        await connection.logout()
    }

    @Test("new mail shows as EXISTS during a FETCH and is in the next `n:*` window")
    func newMail() async throws {
        let (connection, folder, uids) = try await TestServer.folderWithMessages((1...5).map { "n\($0)" })
        let dovecot = try await TestServer.dovecot()
        let name = folder.displayName
        try await TestServer.offPool {
            try dovecot.deliver(user: DovecotUser.alice.name, folder: name, messages: [TestServer.message(subject: "late")])
        }
        // `*` is resolved before the server looks for new mail; the EXISTS it sends at the end of
        // a FETCH (when it noticed the delivery) updates the session.
        let told = try await eventually {
            let window = try await connection.fetch(SequenceNumberSet(ranges: [.from(SequenceNumber(5))]), [.uid])
            #expect(window.first?.uid == uids[4])
            return connection.selected?.exists == 6
        }
        #expect(told, "the EXISTS sent during FETCH never reached the session")
        let again = try await connection.fetch(SequenceNumberSet(ranges: [.from(SequenceNumber(5))]), [.envelope])
        #expect(again.map(\.sequenceNumber.rawValue) == [5, 6])
        #expect(again.last?.envelope?.subject == "late")
        #expect(again.last.flatMap(\.uid).map { $0 > uids[4] } == true)
        await connection.logout()
    }

    /// Why the gateway sends NOOP before a first page: RFC 3501 §7.4.1 forbids EXPUNGE during
    /// FETCH, so a session that only FETCHes by number keeps numbering messages that are gone
    /// (Dovecot answers them with an empty envelope), and EXISTS stays high.
    @Test("FETCH never reports another session's expunges; NOOP does")
    func expungesNeedASyncPoint() async throws {
        let (connection, folder, uids) = try await TestServer.folderWithMessages((1...6).map { "e\($0)" })
        let other = try await TestServer.session()
        _ = try await other.select(folder, readOnly: false)
        try await other.uidStore(UIDSet([uids[5]]), .add([.deleted]), silent: true)
        try await other.uidExpunge(UIDSet([uids[5]]))
        await other.logout()
        let last = SequenceNumberSet(ranges: [.from(SequenceNumber(5))])
        for _ in 1...3 {
            let stale = try await connection.fetch(last, [.envelope])
            #expect(stale.map(\.uid) == [uids[4], uids[5]], "the expunged message keeps its number")
            #expect(connection.selected?.exists == 6)
        }
        try await connection.noop()
        #expect(connection.selected?.exists == 5)
        let fresh = try await connection.fetch(last, [.envelope])
        #expect(fresh.map(\.uid) == [uids[4]])
        #expect(fresh.first?.envelope?.subject == "e5")
        await connection.logout()
    }

    @Test("a sequence number past the end is refused by Dovecot and the session stays usable")
    func pastTheEnd() async throws {
        let (connection, _, _) = try await TestServer.folderWithMessages(["only"])
        await #expect(throws: IMAPError.self) {
            _ = try await connection.fetch(SequenceNumberSet([SequenceNumber(5)]), [.uid])
        }
        #expect(connection.isUsable)
        #expect(try await connection.fetch(SequenceNumberSet(ranges: [.from(SequenceNumber(1))]), [.uid]).count == 1)
        await connection.logout()
    }
}

