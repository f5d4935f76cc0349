import Foundation
import Testing
import TestSupport
@testable import IMAPClient

@Suite("Copy, move and expunge against Dovecot")
struct CopyMoveExpungeTests {
    @Test("UID COPY reports COPYUID and leaves the source alone")
    func copy() async throws {
        let (connection, source, uids) = try await TestServer.folderWithMessages(["a", "b"])
        let destination = MailboxName(TestServer.uniqueFolder("copy"))
        try await connection.create(destination)
        let result = try #require(try await connection.uidCopy(UIDSet(uids), to: destination))
        #expect(result.mapping.map(\.source) == uids)
        #expect(result.mapping.count == 2)
        #expect(try await connection.status(destination).messages == 2)
        #expect(try await connection.status(source).messages == 2)
        await connection.logout()
    }

    @Test("UID MOVE, natively and through the COPY + STORE + UID EXPUNGE fallback", arguments: [Set<Capability>(), [.move]])
    func move(ignoring: Set<Capability>) async throws {
        let (connection, source, uids) = try await TestServer.folderWithMessages(["move me", "stay", "flagged elsewhere"], ignoring: ignoring)
        // Another message already carries \Deleted: the fallback must not expunge it.
        try await connection.uidStore(UIDSet([uids[2]]), .add([.deleted]))
        let destination = MailboxName(TestServer.uniqueFolder("move"))
        try await connection.create(destination)

        let result = try #require(try await connection.uidMove(UIDSet([uids[0]]), to: destination))
        #expect(result.mapping.map(\.source) == [uids[0]])
        #expect(try await connection.uidSearch(.all) == [uids[1], uids[2]])
        #expect(try await connection.uidSearch(.deleted) == [uids[2]])
        let moved = try await connection.uidFetch(UIDSet(result.mapping.map(\.destination)), [.envelope])
        #expect(moved.isEmpty, "the destination's UIDs are not in the selected folder")
        _ = try await connection.select(destination, readOnly: true)
        let fetched = try await connection.uidFetch(UIDSet(result.mapping.map(\.destination)), [.envelope])
        #expect(fetched.first?.envelope?.subject == "move me")
        #expect(connection.selected?.exists == 1)
        _ = source
        await connection.logout()
    }

    @Test("UID EXPUNGE removes only the given UID; another \\Deleted message survives")
    func expunge() async throws {
        let (connection, _, uids) = try await TestServer.folderWithMessages(["a", "b", "c"])
        try await connection.uidStore(UIDSet([uids[0], uids[1]]), .add([.deleted]), silent: true)
        try await connection.uidExpunge(UIDSet([uids[0]]))
        #expect(try await connection.uidSearch(.all) == [uids[1], uids[2]])
        #expect(try await connection.uidSearch(.deleted) == [uids[1]])
        #expect(connection.selected?.exists == 2, "EXPUNGE responses update the session")
        await connection.logout()
    }

    @Test("without UIDPLUS, expunge and the move fallback refuse before doing anything")
    func withoutUIDPlus() async throws {
        let (connection, _, uids) = try await TestServer.folderWithMessages(["a"], ignoring: [.uidPlus, .move])
        let destination = MailboxName(TestServer.uniqueFolder("nomove"))
        try await connection.create(destination)
        for operation in [
            { try await connection.uidExpunge(UIDSet(uids)) },
            { _ = try await connection.uidMove(UIDSet(uids), to: destination) },
        ] as [() async throws -> Void] {
            do {
                try await operation()
                Issue.record("expected missingExtension(UIDPLUS)")
            } catch IMAPError.missingExtension(let capability) {
                #expect(capability == .uidPlus)
            }
        }
        #expect(try await connection.uidSearch(.deleted).isEmpty, "nothing was flagged")
        #expect(try await connection.status(destination).messages == 0, "nothing was copied")
        await connection.logout()
    }
}
