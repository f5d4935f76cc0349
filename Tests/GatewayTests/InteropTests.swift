import Foundation
import Gateway
import Testing
import TestSupport

/// Every endpoint of the API against Cyrus, Courier and pymap (issue 14), each started by the
/// suite on a loopback port (`InteropServer`). Where a server lacks what an operation needs, the
/// expected answer is the documented one (422 `missing-extension` and friends), never a 502.
///
/// Each test prints what it saw per feature (`InteropReport`); scripts/interop-table.sh turns
/// that into the README's interop table. Run alone with `swift test --filter InteropTests`.
@Suite("Interop: the API against Cyrus, Courier and pymap", .serialized)
struct InteropTests {
    static let servers = InteropServerKind.allCases

    @Test("Service endpoints and authentication", arguments: servers)
    func service(kind: InteropServerKind) async throws {
        try await withInteropGateway(kind) { gateway in
            let health = try await gateway.request("GET", "/health", user: nil)
            #expect(health.status == 200)
            let ready = try await gateway.request("GET", "/ready", user: nil)
            #expect(ready.status == 200, "\(ready.text)")
            let capabilities = try await gateway.request("GET", "/capabilities")
            #expect(capabilities.status == 200, "\(capabilities.text)")
            let offered = try capabilities.json()["capabilities"] as? [String] ?? []
            #expect(offered.contains { $0.uppercased() == "IMAP4REV1" }, "\(capabilities.text)")
            InteropReport.record(kind, "GET /capabilities", status: capabilities.status, success: 200)
            let metrics = try await gateway.request("GET", "/metrics", user: nil)
            #expect(metrics.status == 200)
            // URLSession on Linux hangs on a 401 with WWW-Authenticate; read it raw.
            let wrong = try await RawHTTP.request(port: gateway.port, "/folders",
                                                  user: DovecotUser(name: DovecotUser.alice.name, password: "wrong"))
            #expect(wrong.status == 401, "\(wrong.text)")
            InteropReport.record(kind, "401 for a wrong password", status: wrong.status, success: 401)
        }
    }

    @Test("Folders: list, create, summary, subscribe, rename, delete", arguments: servers)
    func folders(kind: InteropServerKind) async throws {
        try await withInteropGateway(kind) { gateway in
            let list = try await gateway.request("GET", "/folders?status=true")
            #expect(list.status == 200, "\(list.text)")
            let names = try folderNames(list)
            #expect(names.contains("INBOX"), "\(names)")
            InteropReport.record(kind, "GET /folders?status=true", status: list.status, success: 200)

            let name = gateway.uniqueFolder("Interop")
            let created = try await gateway.send("POST", "/folders", json: ["name": name])
            #expect(created.status == 201, "\(created.text)")
            InteropReport.record(kind, "POST /folders", status: created.status, success: 201)

            let summary = try await gateway.request("GET", Paths.folder(name))
            #expect(summary.status == 200, "\(summary.text)")
            let summaryJSON = try summary.json()
            // Courier leaves UIDNEXT out of SELECT; the gateway asks STATUS instead.
            #expect(summaryJSON["uidNext"] as? Int != nil, "\(summary.text)")
            #expect(summaryJSON["uidValidity"] as? Int != nil, "\(summary.text)")
            InteropReport.record(kind, "GET /folders/{folder} (with UIDNEXT)",
                                 summary.status != 200 ? String(summary.status) : summaryJSON["uidNext"] is Int ? "✓" : "no uidNext")

            let subscribe = try await gateway.send("PATCH", Paths.folder(name), json: ["subscribed": true])
            #expect(subscribe.status == 200, "\(subscribe.text)")
            #expect(try folderNames(try await gateway.request("GET", "/folders?subscribed=true")).contains(name))
            InteropReport.record(kind, "subscribe", status: subscribe.status, success: 200)

            let renamed = name + "-renamed"
            let rename = try await gateway.send("PATCH", Paths.folder(name), json: ["name": renamed])
            #expect(rename.status == 200, "\(rename.text)")
            let subscribed = try folderNames(try await gateway.request("GET", "/folders?subscribed=true"))
            let keptSubscription = subscribed.contains(renamed) && !subscribed.contains(name)
            #expect(keptSubscription, "subscribed after rename: \(subscribed)")
            InteropReport.record(kind, "rename keeps the subscription", rename.status != 200 ? String(rename.status) : keptSubscription ? "✓" : "lost")

            let delete = try await gateway.request("DELETE", Paths.folder(renamed))
            #expect(delete.status == 204, "\(delete.text)")
            InteropReport.record(kind, "DELETE /folders/{folder}", status: delete.status, success: 204)
            let missing = try await gateway.request("DELETE", Paths.folder(renamed))
            #expect(missing.status == 404, "\(missing.text)")
            InteropReport.record(kind, "DELETE of a missing folder is 404", status: missing.status, success: 404)
            let gone = try await gateway.request("GET", Paths.folder(renamed))
            #expect(gone.status == 404, "\(gone.text)")
        }
    }

    @Test("Messages: upload, list, search, read, raw, parts", arguments: servers)
    func readMessages(kind: InteropServerKind) async throws {
        try await withInteropGateway(kind) { gateway in
            let folder = try await makeFolder(gateway, "Read")
            let message = Self.messageWithAttachments(subject: "Quarterly report")
            let upload = try await gateway.request("POST", Paths.messages(folder) + "?flags=%5CSeen",
                                                   headers: ["Content-Type": "message/rfc822"], body: Data(message))
            #expect(upload.status == 201, "\(upload.text)")
            InteropReport.record(kind, "POST /folders/{folder}/messages (upload)", status: upload.status, success: 201)
            let uid = try #require(try upload.json()["uid"] as? Int, "\(upload.text)")

            let list = try await gateway.request("GET", Paths.messages(folder))
            #expect(list.status == 200, "\(list.text)")
            let listed = try list.json()["messages"] as? [[String: Any]] ?? []
            #expect(listed.map { $0["subject"] as? String } == ["Quarterly report"], "\(list.text)")
            InteropReport.record(kind, "GET /folders/{folder}/messages", status: list.status, success: 200)

            let search = try await gateway.request("GET", Paths.messages(folder) + "?search=from:ann%20subject:quarterly")
            #expect(search.status == 200, "\(search.text)")
            let found = try search.json()["messages"] as? [[String: Any]] ?? []
            #expect(found.map { $0["uid"] as? Int } == [uid], "\(search.text)")
            InteropReport.record(kind, "search", search.status != 200 ? String(search.status) : found.count == 1 ? "✓" : "wrong result")

            let read = try await gateway.request("GET", Paths.message(folder, uid: UInt32(uid)))
            #expect(read.status == 200, "\(read.text)")
            let readJSON = try read.json()
            let attachments = readJSON["attachments"] as? [[String: Any]] ?? []
            #expect(attachments.map { $0["partId"] as? String } == ["2", "3", "3.2"], "\(read.text)")
            #expect(attachments.map { $0["filename"] as? String } == ["report.pdf", nil, "inner.txt"], "\(read.text)")
            InteropReport.record(kind, "GET /folders/{folder}/messages/{uid}", status: read.status, success: 200)

            let raw = try await gateway.request("GET", Paths.message(folder, uid: UInt32(uid)) + "/raw")
            #expect(raw.status == 200)
            #expect(raw.body == Data(message), "raw: \(raw.body.count) bytes back, \(message.count) uploaded")
            InteropReport.record(kind, "GET .../raw", raw.status != 200 ? String(raw.status) : raw.body == Data(message) ? "✓" : "bytes differ")

            let part = try await gateway.request("GET", Paths.part(folder, uid: UInt32(uid), partId: "2"))
            #expect(part.status == 200, "\(part.text)")
            #expect(part.body == Data("%PDF-1.4 report".utf8))
            let disposition = part.headers["content-disposition"] ?? ""
            #expect(disposition.contains("filename=\"report.pdf\""), "Content-Disposition: \(disposition)")
            InteropReport.record(kind, "GET .../parts/{partId} with filename",
                                 part.status != 200 ? String(part.status) : disposition.contains("report.pdf") ? "✓" : "no filename")
            let nestedPath = Paths.part(folder, uid: UInt32(uid), partId: "3.2")
            // pymap 0.36 answers BODY[3.2] (a part inside an attached message) with an empty
            // string while its BODYSTRUCTURE gives the part's size: the gateway then cuts the part
            // out of the whole message, so the bytes are right on every server.
            let nested = try await gateway.request("GET", nestedPath)
            #expect(nested.status == 200, "\(nested.text)")
            #expect(nested.text == "inner attachment")
            let nestedRight = nested.status == 200 && nested.text == "inner attachment"
            InteropReport.record(kind, "GET .../parts/3.2 (inside an attached message)",
                                 nested.status != 200 ? String(nested.status)
                                    : !nestedRight ? "wrong bytes" : kind == .pymap ? "✓ (cut from the whole message)" : "✓")
            try await dropFolder(gateway, folder)
        }
    }

    @Test("Messages: flags, keywords, copy, move, batch, delete", arguments: servers)
    func writeMessages(kind: InteropServerKind) async throws {
        try await withInteropGateway(kind) { gateway in
            let folder = try await makeFolder(gateway, "Write")
            let other = try await makeFolder(gateway, "Other")
            var uids: [Int] = []
            for index in 1...4 {
                let upload = try await gateway.request("POST", Paths.messages(folder), headers: ["Content-Type": "message/rfc822"],
                                                       body: Data(TestMessages.simple(subject: "Write \(index)")))
                #expect(upload.status == 201, "\(upload.text)")
                uids.append(try #require(try upload.json()["uid"] as? Int, "\(upload.text)"))
            }
            let path = { (uid: Int) in Paths.message(folder, uid: UInt32(uid)) }

            let flag = try await gateway.send("PATCH", path(uids[0]), json: ["flags": ["add": ["\\Flagged"]]])
            #expect(flag.status == 200, "\(flag.text)")
            #expect(withoutRecent(try flag.json()["flags"]) == ["\\Flagged"], "\(flag.text)")
            InteropReport.record(kind, "PATCH flags", status: flag.status, success: 200)

            // pymap's PERMANENTFLAGS has no \*: it would accept the STORE and drop the keyword.
            let keyword = try await gateway.send("PATCH", path(uids[0]), json: ["flags": ["add": ["$Todo"]]])
            let keywordsKept = kind != .pymap
            #expect(keyword.status == (keywordsKept ? 200 : 422), "\(keyword.text)")
            if keyword.status == 200 {
                let reread = try await gateway.request("GET", path(uids[0]))
                #expect(withoutRecent(try reread.json()["flags"]) == ["\\Flagged", "$Todo"], "\(reread.text)")
            }
            InteropReport.record(kind, "PATCH keyword ($Todo)", status: keyword.status, success: 200)

            let copy = try await gateway.send("POST", path(uids[1]) + "/copy", json: ["to": other])
            #expect(copy.status == 200 || copy.status == 201, "\(copy.text)")
            InteropReport.record(kind, "POST .../copy", (200...201).contains(copy.status) ? "✓" : String(copy.status))
            let move = try await gateway.send("POST", path(uids[1]) + "/move", json: ["to": other])
            #expect(move.status == 200 || move.status == 201, "\(move.text)")
            InteropReport.record(kind, "POST .../move", (200...201).contains(move.status) ? "✓" : String(move.status))
            let moved = try await gateway.request("GET", path(uids[1]))
            #expect(moved.status == 404, "\(moved.text)")

            let batch = try await gateway.send("POST", Paths.messages(folder) + "/batch",
                                               json: ["uids": [uids[2], uids[3], 999_999], "action": "flags", "flags": ["add": ["\\Seen"]]])
            #expect(batch.status == 200, "\(batch.text)")
            let results = try batch.json()["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["status"] as? Int } == [200, 200, 404], "\(batch.text)")
            InteropReport.record(kind, "POST .../messages/batch", status: batch.status, success: 200)

            let trashBefore = try await messageCount(gateway, gateway.trashName)
            let trash = try await gateway.request("DELETE", path(uids[2]))
            #expect(trash.status == 204, "\(trash.text)")
            #expect(try await messageCount(gateway, gateway.trashName) == trashBefore + 1)
            InteropReport.record(kind, "DELETE message (to Trash)", status: trash.status, success: 204)

            let permanent = try await gateway.request("DELETE", path(uids[3]) + "?permanent=true")
            #expect(permanent.status == 204, "\(permanent.text)")
            #expect(try await gateway.request("GET", path(uids[3])).status == 404)
            InteropReport.record(kind, "DELETE message ?permanent=true", status: permanent.status, success: 204)
            try await dropFolder(gateway, folder)
            try await dropFolder(gateway, other)
        }
    }

    @Test("Events: ready with the folder's UIDNEXT, new mail within the NOOP poll", arguments: servers)
    func events(kind: InteropServerKind) async throws {
        // Cyrus (no idled) and Courier (no FAM) look for new mail in IDLE once a minute; the
        // NOOP poll makes them tell within a second.
        try await withInteropGateway(kind, configure: { $0.events.idlePoll = .seconds(1) }) { gateway in
            let folder = try await makeFolder(gateway, "Events")
            for index in 1...2 {
                let upload = try await gateway.request("POST", Paths.messages(folder), headers: ["Content-Type": "message/rfc822"],
                                                       body: Data(TestMessages.simple(subject: "Event \(index)")))
                #expect(upload.status == 201, "\(upload.text)")
            }
            let summary = try await gateway.request("GET", Paths.folder(folder)).json()
            let client = try await SSEClient.open(port: gateway.port, Paths.folder(folder) + "/events")
            defer { client.close() }
            #expect(client.status == 200)
            let ready = try await client.next("ready")
            #expect(ready["exists"] as? Int == 2, "\(ready)")
            #expect(ready["uidNext"] as? Int == summary["uidNext"] as? Int, "ready \(ready), summary \(summary)")
            let uidNextRight = ready["uidNext"] as? Int == summary["uidNext"] as? Int
            InteropReport.record(kind, "GET .../events (ready, uidNext)", client.status != 200 ? String(client.status) : uidNextRight ? "✓" : "uidNext wrong")

            let upload = try await gateway.request("POST", Paths.messages(folder), headers: ["Content-Type": "message/rfc822"],
                                                   body: Data(TestMessages.simple(subject: "Event 3")))
            let uid = try #require(try upload.json()["uid"] as? Int, "\(upload.text)")
            let started = ContinuousClock.now
            let new = try await client.next("new", timeout: .seconds(20))
            #expect(new["uids"] as? [Int] == [uid], "\(new)")
            let waited = ContinuousClock.now - started
            InteropReport.record(kind, "events: new mail (NOOP poll 1 s)",
                                 new["uids"] as? [Int] == [uid] ? "✓ (\(Int(waited / .milliseconds(100)) / 10).\(Int(waited / .milliseconds(100)) % 10) s)" : "wrong UIDs")
            client.close()
            try await dropFolder(gateway, folder)
        }
    }

    // MARK: - Helpers

    /// Creates a folder through the API (pymap also needs its Trash created: it has none).
    private func makeFolder(_ gateway: InteropGateway, _ prefix: String) async throws -> String {
        if gateway.kind == .pymap {
            let trash = try await gateway.send("POST", "/folders", json: ["name": gateway.trashName])
            #expect(trash.status == 201 || trash.status == 409, "\(trash.text)")
        }
        let name = gateway.uniqueFolder(prefix)
        let created = try await gateway.send("POST", "/folders", json: ["name": name])
        try #require(created.status == 201, "\(created.text)")
        return name
    }

    private func dropFolder(_ gateway: InteropGateway, _ name: String) async throws {
        let deleted = try await gateway.request("DELETE", Paths.folder(name))
        #expect(deleted.status == 204, "\(deleted.text)")
    }

    private func messageCount(_ gateway: InteropGateway, _ folder: String) async throws -> Int {
        let summary = try await gateway.request("GET", Paths.folder(folder))
        return try #require(try summary.json()["exists"] as? Int, "\(summary.text)")
    }

    private func folderNames(_ result: HTTPResult) throws -> [String] {
        (try result.json()["folders"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    /// text, a PDF attachment (part 2), and an attached message (part 3) with a file of its own (3.2).
    static func messageWithAttachments(subject: String) -> [UInt8] {
        TestMessages.crlf("""
        From: Ann <ann@example.com>
        To: Bob <bob@example.com>
        Subject: \(subject)
        Date: Wed, 14 Jan 2015 21:10:00 +0000
        Message-ID: <\(UUID().uuidString)@example.com>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: text/plain; charset=utf-8

        The report and a forwarded note.
        --outer
        Content-Type: application/pdf; name="report.pdf"
        Content-Disposition: attachment; filename="report.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQgcmVwb3J0
        --outer
        Content-Type: message/rfc822

        From: Carol <carol@example.com>
        To: Ann <ann@example.com>
        Subject: Note
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="inner"

        --inner
        Content-Type: text/plain

        See inner.txt.
        --inner
        Content-Type: text/plain; name="inner.txt"
        Content-Disposition: attachment; filename="inner.txt"

        inner attachment
        --inner--

        --outer--

        """)
    }
}
