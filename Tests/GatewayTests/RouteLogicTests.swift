import Foundation
@testable import Gateway
import GatewayTestSupport
import IMAP
import IMAPClient
import Sockets
import Testing
import TestSupport

/// Route logic over a real loopback HTTP socket against the in-memory mail store: what a client
/// sees for errors below the gateway, paging edges, conditional requests and batches. No IMAP
/// server, so each test runs in milliseconds; the Dovecot suites check the same routes end to end.
@Suite("Route logic against an in-memory mail store")
struct RouteLogicTests {
    static let problems = "https://imap-gateway.dev/problems/"

    /// A store whose `folder` holds `count` text messages with UIDs 1...count.
    static func store(_ folder: String = "Box", count: Int, uidValidity: UIDValidity = 7) -> FakeMailStore {
        let store = FakeMailStore()
        store.addFolder("INBOX")
        store.addFolder(folder, uidValidity: uidValidity,
                        messages: (1...max(count, 1)).prefix(count).map { FakeMessage.text(subject: "m\($0)") })
        return store
    }

    static func uids(_ result: HTTPResult) throws -> [Int] {
        try #require(try result.json()["messages"] as? [[String: Any]]).compactMap { $0["uid"] as? Int }
    }

    // MARK: - Errors

    @Test func anUnknownFolderOrMessageIs404() async throws {
        try await withFakeGateway(Self.store(count: 1)) { gateway in
            for path in ["/folders/Nope", Paths.messages("Nope"), Paths.message("Nope", uid: 1), Paths.message("Box", uid: 99)] {
                let response = try await gateway.request(path)
                #expect(response.status == 404, "\(path)")
                #expect(try response.json()["type"] as? String == Self.problems + "not-found", "\(path)")
            }
        }
    }

    @Test func aCursorFromAnEarlierUIDValidityIs409() async throws {
        let store = Self.store(count: 5, uidValidity: 7)
        try await withFakeGateway(store) { gateway in
            let first = try await gateway.request(Paths.messages("Box") + "?limit=2")
            let cursor = try #require(try first.json()["nextCursor"] as? String)
            // The folder is deleted and created again: every UID is void.
            store.addFolder("Box", uidValidity: 8, messages: (1...5).map { FakeMessage.text(subject: "n\($0)") })
            let stale = try await gateway.request(Paths.messages("Box") + "?limit=2&cursor=" + cursor)
            #expect(stale.status == 409)
            #expect(try stale.json()["type"] as? String == Self.problems + "uidvalidity-changed")
        }
    }

    @Test func aPermanentDeleteWithoutUIDPLUSIs422AndDeletesNothing() async throws {
        let store = Self.store(count: 1)
        store.setCapabilities([.imap4rev1, .move, .idle])
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("DELETE", Paths.message("Box", uid: 1) + "?permanent=true")
            #expect(response.status == 422)
            let problem = try response.json()
            #expect(problem["type"] as? String == Self.problems + "missing-extension")
            #expect(problem["extension"] as? String == "UIDPLUS")
            #expect(store.folder("Box")?.messages.map(\.uid) == [UID(1)])
            #expect(store.calls(.uidExpunge) == 0)
        }
    }

    @Test("IMAP failures become the documented statuses", arguments: [
        (IMAPError.timedOut(command: "UID FETCH"), 504, "imap-timeout"),
        (.protocolViolation("* FETCH (garbage"), 502, "imap-unavailable"),
        (.bad(command: "UID FETCH", ResponseText(text: "Error in IMAP command")), 502, "imap-rejected"),
        (.no(command: "UID FETCH", ResponseText(code: .inUse, text: "locked")), 503, "imap-busy"),
        (.invalidArgument("NUL in a name"), 400, "bad-parameter"),
    ] as [(IMAPError, Int, String)])
    func imapFailuresMapToStatuses(failure: IMAPError, status: Int, type: String) async throws {
        let store = Self.store(count: 1)
        store.failNext(failure, on: .uidFetch)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request(Paths.message("Box", uid: 1))
            #expect(response.status == status)
            #expect(try response.json()["type"] as? String == Self.problems + type)
            #expect(!response.text.contains(DovecotUser.alice.password))
            // The failure was one command's: the next request is served.
            #expect(try await gateway.request(Paths.message("Box", uid: 1)).status == 200)
        }
    }

    @Test func anUnreachableServerAtLoginIs502() async throws {
        let store = Self.store(count: 1)
        store.failNext(.connection(.connectionRefused(host: "127.0.0.1", port: 143)), on: .login)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("/folders")
            #expect(response.status == 502)
            #expect(try response.json()["type"] as? String == Self.problems + "imap-unavailable")
        }
    }

    @Test func aReadWhoseSessionDiesIsRetriedOnceOnAFreshSession() async throws {
        let store = Self.store(count: 1)
        try await withFakeGateway(store) { gateway in
            store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidFetch)
            #expect(try await gateway.request(Paths.message("Box", uid: 1)).status == 200)
            #expect(store.sessionsOpened == 2)
            // Twice in a row is not retried again.
            store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidFetch)
            store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidFetch)
            let failed = try await gateway.request(Paths.message("Box", uid: 1))
            #expect(failed.status == 502)
        }
    }

    @Test func aWriteWhoseSessionDiesIsNotRepeated() async throws {
        let store = Self.store(count: 1)
        store.addFolder("Other", uidValidity: 9, messages: [])
        store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidCopy)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("POST", Paths.message("Box", uid: 1) + "/copy",
                                                     body: jsonBody(["to": "Other"]))
            #expect(response.status == 502)
            #expect(store.calls(.uidCopy) == 1, "a copy run twice could make two copies")
            #expect(store.folder("Other")?.messages.isEmpty == true)
        }
    }

    @Test func aFlagChangeWhoseSessionDiesRunsOnceMoreOnAFreshSession() async throws {
        let store = Self.store(count: 1)
        store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidStore)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("PATCH", Paths.message("Box", uid: 1),
                                                     body: jsonBody(["flags": ["add": ["\\Flagged"]]]))
            // Adding a flag twice gives what adding it once does.
            #expect(response.status == 200)
            #expect(store.calls(.uidStore) == 2)
            #expect(store.folder("Box")?.messages.first?.flags == [.flagged])
        }
    }

    // MARK: - Paging

    @Test func anEmptyFolderIsOneEmptyPage() async throws {
        try await withFakeGateway(Self.store(count: 0)) { gateway in
            let page = try await gateway.request(Paths.messages("Box"))
            #expect(page.status == 200)
            let json = try page.json()
            #expect(try Self.uids(page) == [])
            #expect(json["total"] as? Int == 0)
            #expect(json["nextCursor"] is NSNull)
        }
    }

    @Test func exactlyOnePageHasNoCursor() async throws {
        try await withFakeGateway(Self.store(count: 3)) { gateway in
            let page = try await gateway.request(Paths.messages("Box") + "?limit=3")
            #expect(try Self.uids(page) == [3, 2, 1])
            #expect(try page.json()["total"] as? Int == 3)
            #expect(try page.json()["nextCursor"] is NSNull)
        }
    }

    @Test(arguments: ["", "&search=m"])
    func followingCursorsVisitsEveryMessageOnceAndEnds(search: String) async throws {
        try await withFakeGateway(Self.store(count: 5)) { gateway in
            var seen: [Int] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await gateway.request(Paths.messages("Box") + "?limit=2" + search + (cursor.map { "&cursor=" + $0 } ?? ""))
                #expect(page.status == 200)
                seen += try Self.uids(page)
                cursor = try page.json()["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == [5, 4, 3, 2, 1])
            #expect(pages == 3)
        }
    }

    @Test func aCursorPastTheLastMessageGivesAnEmptyLastPage() async throws {
        let store = Self.store(count: 3)
        try await withFakeGateway(store) { gateway in
            let first = try await gateway.request(Paths.messages("Box") + "?limit=2")
            let cursor = try #require(try first.json()["nextCursor"] as? String)
            // The one message the cursor still had to show is expunged meanwhile.
            var folder = try #require(store.folder("Box"))
            folder.messages.removeAll { $0.uid == UID(1) }
            store.addFolder(folder)
            let last = try await gateway.request(Paths.messages("Box") + "?limit=2&cursor=" + cursor)
            #expect(last.status == 200)
            #expect(try Self.uids(last) == [])
            #expect(try last.json()["nextCursor"] is NSNull)
        }
    }

    // MARK: - Conditional requests

    @Test func aMessageETagAnswers304UntilItsFlagsChange() async throws {
        let store = Self.store(count: 1)
        try await withFakeGateway(store) { gateway in
            let fresh = try await gateway.request(Paths.message("Box", uid: 1))
            #expect(fresh.status == 200)
            let tag = try #require(fresh.headers["etag"])
            let again = try await gateway.request(Paths.message("Box", uid: 1), headers: ["If-None-Match": tag])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again.headers["etag"] == tag)

            var folder = try #require(store.folder("Box"))
            folder.messages[0].flags = [.flagged]
            store.addFolder(folder)
            let changed = try await gateway.request(Paths.message("Box", uid: 1), headers: ["If-None-Match": tag])
            #expect(changed.status == 200)
            #expect(changed.headers["etag"] != tag)
            #expect(try changed.json()["flags"] as? [String] == ["\\Flagged"])
        }
    }

    @Test func theFolderListETagAnswers304UntilAFolderIsAdded() async throws {
        let store = Self.store(count: 1)
        try await withFakeGateway(store) { gateway in
            let fresh = try await gateway.request("/folders")
            let tag = try #require(fresh.headers["etag"])
            #expect(try await gateway.request("/folders", headers: ["If-None-Match": tag]).status == 304)
            store.addFolder("Archive")
            let changed = try await gateway.request("/folders", headers: ["If-None-Match": tag])
            #expect(changed.status == 200)
            #expect(changed.headers["etag"] != tag)
        }
    }

    // MARK: - Batches

    @Test func aFlagBatchAnswersEveryUIDOnceInRequestOrder() async throws {
        let store = Self.store(count: 3)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("POST", Paths.messages("Box") + "/batch", body: jsonBody([
                "action": "flags", "uids": [3, 42, 1, 3], "flags": ["add": ["\\Seen"]],
            ]))
            #expect(response.status == 200)
            let results = try #require(try response.json()["results"] as? [[String: Any]])
            #expect(results.map { $0["uid"] as? Int } == [3, 42, 1])
            #expect(results.map { $0["status"] as? Int } == [200, 404, 200])
            #expect(results[0]["flags"] as? [String] == ["\\Seen"])
            #expect((results[1]["problem"] as? [String: Any])?["type"] as? String == Self.problems + "not-found")
            #expect(store.folder("Box")?.messages.map { $0.flags.contains(.seen) } == [true, false, true])
        }
    }

    @Test func aMoveBatchMovesWhatExistsAndNamesTheNewUIDs() async throws {
        let store = Self.store(count: 3)
        store.addFolder("Archive", uidValidity: 9)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("POST", Paths.messages("Box") + "/batch", body: jsonBody([
                "action": "move", "uids": [2, 42], "to": "Archive",
            ]))
            #expect(response.status == 200)
            let results = try #require(try response.json()["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? Int } == [200, 404])
            #expect(results[0]["folder"] as? String == "Archive")
            #expect(results[0]["newUid"] as? Int == 1)
            #expect(store.folder("Box")?.messages.map(\.uid.rawValue) == [1, 3])
            #expect(store.folder("Archive")?.messages.count == 1)
        }
    }

    @Test func aBatchToAMissingFolderIs404AndMovesNothing() async throws {
        let store = Self.store(count: 2)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("POST", Paths.messages("Box") + "/batch", body: jsonBody([
                "action": "copy", "uids": [1, 2], "to": "Nowhere",
            ]))
            #expect(response.status == 404)
            #expect(store.folder("Box")?.messages.count == 2)
        }
    }
}
