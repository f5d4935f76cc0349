import Foundation
import Testing
import TestSupport
@testable import IMAPClient

@Suite("Mailboxes against Dovecot")
struct MailboxTests {
    static let awkwardNames = [
        "Entwürfe", "Tom & Jerry", "100% sure", "with space", "[Brackets] (and parens)", #"quote"d"#,
        "日本語", "📁 Emoji 🚀", "star*", "{5}", "a&-b", "NIL",
    ]

    @Test("folder names in UTF-8 and with & % spaces brackets quotes round-trip", arguments: awkwardNames)
    func roundTrip(leaf: String) async throws {
        let connection = try await TestServer.session()
        let parent = TestServer.uniqueFolder("rt")
        let name = MailboxName("\(parent)/\(leaf)")
        try await connection.create(name)

        let listed = try await connection.list(pattern: "\(parent)/*")
        #expect(listed.map(\.name.displayName) == ["\(parent)/\(leaf)"])
        #expect(listed.first?.delimiter == "/")

        let selected = try await connection.select(name, readOnly: false)
        #expect(selected.name == name)
        #expect(selected.exists == 0)
        #expect(selected.uidValidity != nil)

        let renamed = MailboxName("\(parent)/\(leaf) renamed")
        try await connection.rename(name, to: renamed)
        #expect(try await connection.list(pattern: "\(parent)/*").map(\.name.displayName) == [renamed.displayName])
        let message = TestServer.message(subject: leaf)
        let appended = try await connection.append(to: renamed, message: message)
        #expect(appended != nil)
        #expect(try await connection.status(renamed).messages == 1)

        try await connection.delete(renamed)
        try await connection.delete(MailboxName(parent))
        #expect(try await connection.list(pattern: "\(parent)*").isEmpty)
        await connection.logout()
    }

    @Test("LIST reports special use, subscription and status, with and without the extensions", arguments: [
        Set<Capability>(), [.listExtended, .listStatus, .specialUse],
    ])
    func listDetails(ignoring: Set<Capability>) async throws {
        // As bob: STATUS on every mailbox would race with other tests deleting alice's folders.
        let connection = try await TestServer.session(user: .bob, ignoring: ignoring)
        let parent = TestServer.uniqueFolder("ls")
        let subscribed = MailboxName("\(parent)/subscribed")
        let other = MailboxName("\(parent)/other")
        try await connection.create(subscribed)
        try await connection.create(other)
        try await connection.subscribe(subscribed)
        _ = try await connection.append(to: subscribed, message: TestServer.message(subject: "one"))
        _ = try await connection.append(to: subscribed, message: TestServer.message(subject: "two"), flags: [.seen])

        let all = try await connection.list(includeStatus: true)
        let inbox = try #require(all.first { $0.name.isInbox })
        #expect(inbox.specialUse == .inbox)
        #expect(all.contains { $0.specialUse == .trash || $0.specialUse == .sent }, "the test Dovecot defines special-use folders")
        let entry = try #require(all.first { $0.name == subscribed })
        #expect(entry.subscribed == true)
        #expect(entry.selectable)
        let status = try #require(entry.status)
        #expect(status.messages == 2)
        #expect(status.unseen == 1)
        #expect(status.uidNext == UID(3))
        #expect(status.uidValidity != nil)
        #expect(all.first { $0.name == other }?.subscribed == false)

        let onlySubscribed = try await connection.list(pattern: "\(parent)/*", subscribedOnly: true)
        #expect(onlySubscribed.map(\.name) == [subscribed])

        try await connection.unsubscribe(subscribed)
        #expect(try await connection.list(pattern: "\(parent)/*", subscribedOnly: true).isEmpty)
        await connection.logout()
    }

    @Test("SELECT and EXAMINE report counts, flags, UIDs and read-only state")
    func select() async throws {
        let (connection, folder, uids) = try await TestServer.folderWithMessages(["a", "b", "c"])
        let selected = try #require(connection.selected)
        #expect(selected.exists == 3)
        #expect(selected.uidNext == UID(uids.last!.rawValue + 1))
        #expect(!selected.readOnly)
        #expect(selected.flags.contains(.seen))
        #expect(selected.permanentFlags.contains(.deleted))
        if connection.capabilities.contains(.condStore) { #expect(selected.highestModSeq != nil) }

        let examined = try await connection.select(folder, readOnly: true)
        #expect(examined.readOnly)
        #expect(examined.exists == 3)
        await connection.logout()
    }

    @Test("server refusals keep their response codes: NONEXISTENT, ALREADYEXISTS, TRYCREATE")
    func responseCodes() async throws {
        let connection = try await TestServer.session()
        let missing = MailboxName(TestServer.uniqueFolder("missing"))
        // Dovecot 2.3 answers SELECT/EXAMINE of a missing mailbox with a plain NO (no code).
        do {
            _ = try await connection.select(missing, readOnly: true)
            Issue.record("selected a missing mailbox")
        } catch let IMAPError.no(command, text) {
            #expect(command == "EXAMINE")
            #expect(text.code == nil || text.code == .nonExistent)
            #expect(text.text.contains("doesn't exist"))
        }
        #expect(connection.selected == nil)
        await expectNo(code: .tryCreate) { _ = try await connection.append(to: missing, message: TestServer.message(subject: "x")) }
        let existing = MailboxName(TestServer.uniqueFolder("dup"))
        try await connection.create(existing)
        await expectNo(code: .alreadyExists) { try await connection.create(existing) }
        await expectNo(code: .nonExistent) { try await connection.delete(missing) }
        #expect(connection.isUsable, "a NO does not end the session")
        await connection.logout()
    }

    @Test("NAMESPACE and ENABLE")
    func namespaceAndEnable() async throws {
        let connection = try await TestServer.session()
        let namespaces = try await connection.namespace()
        #expect(namespaces.personal.first?.delimiter == "/")
        let enabled = try await connection.enable([.condStore, .qresync, Capability("X-NOT-A-THING")])
        #expect(enabled.contains(.condStore))
        #expect(connection.enabledCapabilities.contains(.condStore))
        #expect(try await connection.enable([]).isEmpty)
        await connection.logout()
    }

    @Test("UNSELECT leaves the mailbox without expunging; CLOSE is used only when read-only", arguments: [Set<Capability>(), [.unselect]])
    func unselect(ignoring: Set<Capability>) async throws {
        let (connection, folder, uids) = try await TestServer.folderWithMessages(["keep me"], ignoring: ignoring)
        try await connection.uidStore(UIDSet(uids), .add([.deleted]), silent: true)
        if ignoring.contains(.unselect) {
            // Read-write without UNSELECT: CLOSE would expunge, so the client refuses.
            await #expect(throws: IMAPError.self) { try await connection.unselect() }
            _ = try await connection.select(folder, readOnly: true)
        }
        try await connection.unselect()
        #expect(connection.selected == nil)
        #expect(try await connection.status(folder).messages == 1, "nothing was expunged")
        await connection.logout()
    }

    private func expectNo(code: ResponseCode, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected NO [\(code)]")
        } catch let IMAPError.no(command, text) {
            #expect(text.code == code, "\(command): got \(text)")
        } catch {
            Issue.record("expected NO [\(code)], got \(error)")
        }
    }
}
