import Foundation
import Testing
import TestSupport
@testable import IMAPClient

@Suite("Searching, fetching and flagging against Dovecot")
struct MessageTests {
    @Test("UID SEARCH with ESEARCH and with plain SEARCH", arguments: [Set<Capability>(), [.esearch]])
    func search(ignoring: Set<Capability>) async throws {
        let (connection, _, uids) = try await TestServer.folderWithMessages(
            ["Quarterly report", "Lunch", "Quarterly numbers", "Grüße aus München"], ignoring: ignoring)
        #expect(try await connection.uidSearch(.subject("Quarterly")) == [uids[0], uids[2]])
        #expect(try await connection.uidSearch(.not(.subject("Quarterly"))) == [uids[1], uids[3]])
        #expect(try await connection.uidSearch(.or(.subject("lunch"), .subject("numbers"))) == [uids[1], uids[2]])
        #expect(try await connection.uidSearch(.subject("München")) == [uids[3]], "non-ASCII goes with CHARSET UTF-8")
        #expect(try await connection.uidSearch(.subject("nothing like this")) == [])
        #expect(try await connection.uidSearch(.and([])) == uids)
        #expect(try await connection.uidSearch(.uid(UIDSet([uids[1], uids[3]]))) == [uids[1], uids[3]])
        await connection.logout()
    }

    @Test("user text cannot inject search syntax", arguments: ["\" OR ALL \"", ") ALL (", "\r\nA99 LOGOUT", "{5}", "*", "%", "\\"])
    func searchInjection(text: String) async throws {
        let (connection, _, _) = try await TestServer.folderWithMessages(["one", "two"], ignoring: [.literalPlus, .literalMinus])
        #expect(try await connection.uidSearch(.subject(text)) == [])
        #expect(connection.isUsable)
        await connection.logout()
    }

    @Test("UID FETCH of envelope, flags, size, structure, dates and headers")
    func fetch() async throws {
        let (connection, _, uids) = try await TestServer.folderWithMessages(["First", "Second"], flags: [.seen])
        let results = try await connection.uidFetch(UIDSet(uids), [.flags, .envelope, .bodyStructure, .rfc822Size, .internalDate, .headerFields(["Subject", "From"])])
        #expect(results.map(\.uid) == uids)
        let first = try #require(results.first)
        #expect(first.envelope?.subject == "First")
        #expect(first.envelope?.from.first?.email == "ann@example.com")
        #expect(first.flags?.contains(.seen) == true)
        #expect((first.size ?? 0) > 100)
        #expect(first.internalDate != nil)
        if case .single(let part)? = first.bodyStructure {
            #expect(part.type == "text" && part.subtype == "plain")
        } else {
            Issue.record("expected a single-part structure, got \(String(describing: first.bodyStructure))")
        }
        let headers = String(decoding: first.body(section: "HEADER.FIELDS (Subject From)") ?? [], as: UTF8.self)
        #expect(headers.contains("Subject: First"))
        await connection.logout()
    }

    @Test("partial BODY.PEEK returns the asked byte range and does not set \\Seen")
    func partial() async throws {
        let (connection, _, uids) = try await TestServer.folderWithMessages(["Partial"])
        let whole = try await connection.uidFetch(UIDSet(uids), [.bodyPeek(section: "", partial: nil)])
        let bytes = try #require(whole.first?.body(section: ""))
        let part = try await connection.uidFetch(UIDSet(uids), [.bodyPeek(section: "", partial: (offset: 6, length: 10)), .flags])
        let slice = try #require(part.first?.attributes.compactMap { attribute -> [UInt8]? in
            if case .body(_, let origin, let data) = attribute, origin == 6 { return data }
            return nil
        }.first)
        #expect(slice == Array(bytes[6..<16]))
        #expect(part.first?.flags?.contains(.seen) == false)
        let text = try await connection.uidFetch(UIDSet(uids), [.bodyPeek(section: "TEXT", partial: nil)])
        #expect(String(decoding: text.first?.body(section: "TEXT") ?? [], as: UTF8.self) == "Hello there.\r\n")
        await connection.logout()
    }

    @Test("a UID set far over 1000 octets is split into several commands and loses nothing")
    func longSet() async throws {
        let (connection, _, uids) = try await TestServer.folderWithMessages((1...40).map { "m\($0)" })
        // Every UID plus thousands of absent odd ones: about 20 KB of set text.
        var wanted = Set(uids.map(\.rawValue))
        for odd in stride(from: UInt32(1001), through: 9001, by: 2) { wanted.insert(odd) }
        let set = UIDSet(wanted.sorted().map { UID($0) })
        #expect(set.wireText.utf8.count > 1000)
        let results = try await connection.uidFetch(set, [.flags])
        #expect(results.compactMap(\.uid) == uids)
        var streamed: [UID] = []
        try await connection.uidFetchEach(set, [.uid]) { response in streamed.append(response.uid!) }
        #expect(streamed == uids)
        #expect(try await connection.uidStore(set, .add([.flagged])).count == uids.count)
        await connection.logout()
    }

    @Test("UID STORE adds, removes and replaces flags and keywords")
    func store() async throws {
        let (connection, _, uids) = try await TestServer.folderWithMessages(["a", "b"])
        let target = UIDSet([uids[0]])
        let added = try await connection.uidStore(target, .add([.flagged, Flag("$Label1")]))
        // Dovecot also reports \Recent, which a client cannot set or clear.
        func flags(_ result: [UID: [Flag]]) -> Set<Flag>? { result[uids[0]].map { Set($0).subtracting([.recent]) } }
        #expect(flags(added) == [.flagged, Flag("$Label1")])
        let removed = try await connection.uidStore(target, .remove([.flagged]))
        #expect(flags(removed) == [Flag("$Label1")])
        let replaced = try await connection.uidStore(target, .replace([.seen, .answered]))
        #expect(flags(replaced) == [.seen, .answered])
        #expect(try await connection.uidStore(target, .add([.draft]), silent: true).isEmpty)
        #expect(try await connection.uidSearch(.draft) == [uids[0]])
        await #expect(throws: IMAPError.self) { try await connection.uidStore(target, .add([Flag("bad keyword")])) }
        #expect(connection.isUsable, "an invalid argument is refused before sending")
        await connection.logout()
    }

    @Test("unsolicited EXISTS from another session updates the selected mailbox on NOOP")
    func unsolicited() async throws {
        let (connection, folder, _) = try await TestServer.folderWithMessages(["a"])
        let other = try await TestServer.session()
        _ = try await other.append(to: folder, message: TestServer.message(subject: "b"))
        try await connection.noop()
        #expect(connection.selected?.exists == 2)
        await other.logout()
        await connection.logout()
    }
}
