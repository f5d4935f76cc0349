import Foundation
@testable import Gateway
import GatewayTestSupport
import IMAP
import IMAPClient
import Testing
import TestSupport

/// Issue 13: a batch whose IMAP connection is lost mid-way answers per UID what is known after a
/// look at the folder on a new session (done, not done, unknown), not one 502 for the whole batch.
@Suite("Batches cut short by a lost connection")
struct BatchFaultTests {
    static let problems = "https://imap-gateway.dev/problems/"

    private func results(_ response: HTTPResult) throws -> [[String: Any]] {
        try #require(try response.json()["results"] as? [[String: Any]], "\(response.text)")
    }

    private func types(_ results: [[String: Any]]) -> [String?] {
        results.map { ($0["problem"] as? [String: Any])?["type"] as? String }
    }

    @Test func aMoveCutBeforeTheServerMovedAnythingSaysNotDonePerUID() async throws {
        let store = RouteLogicTests.store(count: 2)
        store.addFolder("Archive", uidValidity: 9)
        store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidMove)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("POST", Paths.messages("Box") + "/batch", body: jsonBody([
                "action": "move", "uids": [1, 42, 2], "to": "Archive",
            ]))
            #expect(response.status == 200, "\(response.text)")
            let results = try results(response)
            #expect(results.map { $0["status"] as? Int } == [502, 404, 502])
            #expect(types(results) == [Self.problems + "not-done", Self.problems + "not-found", Self.problems + "not-done"])
            #expect(store.folder("Box")?.messages.count == 2)
            #expect(store.sessionsOpened == 2, "the re-check runs on a new session")
        }
    }

    @Test func aCopyCutAfterItsCommandWentOutIsUnknown() async throws {
        let store = RouteLogicTests.store(count: 2)
        store.addFolder("Archive", uidValidity: 9)
        store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidCopy)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("POST", Paths.messages("Box") + "/batch", body: jsonBody([
                "action": "copy", "uids": [1, 2, 42], "to": "Archive",
            ]))
            let results = try results(response)
            #expect(results.map { $0["status"] as? Int } == [502, 502, 404])
            #expect(types(results).prefix(2).allSatisfy { $0 == Self.problems + "outcome-unknown" })
        }
    }

    @Test func flagsCutShortAreReadBackAndAnsweredPerUID() async throws {
        let store = RouteLogicTests.store(count: 2)
        // UID 1 has the flag already: after the loss it reads as done; UID 2 as not done.
        var box = try #require(store.folder("Box"))
        box.messages[0].flags = [.seen]
        store.addFolder(box)
        store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidStore)
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("POST", Paths.messages("Box") + "/batch", body: jsonBody([
                "action": "flags", "uids": [1, 2], "flags": ["add": ["\\Seen"]],
            ]))
            let results = try results(response)
            #expect(results.map { $0["status"] as? Int } == [200, 502])
            #expect(results[0]["flags"] as? [String] == ["\\Seen"])
            #expect(types(results) == [nil, Self.problems + "not-done"])
        }
    }

    @Test func whenTheReCheckFailsTooTheBatchAnswersAsTheFailureDoes() async throws {
        let store = RouteLogicTests.store(count: 2)
        store.addFolder("Archive", uidValidity: 9)
        store.failNext(.bye(ResponseText(text: "shutting down")), on: .uidMove)
        for _ in 0..<3 { store.failNext(.bye(ResponseText(text: "shutting down")), on: .select) }
        try await withFakeGateway(store) { gateway in
            let response = try await gateway.request("POST", Paths.messages("Box") + "/batch", body: jsonBody([
                "action": "move", "uids": [1, 2], "to": "Archive",
            ]))
            #expect(response.status == 502, "\(response.text)")
        }
    }
}
