import Foundation
import Gateway
import IMAP
import Testing
import TestSupport

/// Issue 13, "spec and server agree": every JSON request body is judged twice, by openapi.yaml's
/// request schema (scripts/validate_request.py) and by a live gateway, and the verdicts must be
/// the same: a body the spec allows is never a 400, a body it forbids is always one.
@Suite("Request bodies: openapi.yaml and the server agree", .serialized)
struct RequestBodyAgreementTests {
    /// One body for one route; `path` is filled in when the fixtures exist.
    struct Case {
        var method: String
        var path: String
        var body: String
    }

    /// The spec's verdicts, one Python process for all cases.
    private func specVerdicts(_ cases: [Case]) async throws -> [String] {
        guard let python = OpenAPITooling.executable("python3") else {
            throw OpenAPITooling.Missing(tool: "python3", install: "apt-get install -y python3")
        }
        let script = OpenAPITooling.repositoryRoot.appendingPathComponent("scripts/validate_request.py").path
        var lines = ""
        for item in cases {
            let body = try JSONSerialization.jsonObject(with: Data(item.body.utf8), options: .fragmentsAllowed)
            let line = try JSONSerialization.data(withJSONObject: ["method": item.method, "path": item.path, "body": body])
            lines += String(decoding: line, as: UTF8.self) + "\n"
        }
        let input = Data(lines.utf8)
        let result = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try OpenAPITooling.run(python, [script], input: input) })
            }
        }
        #expect(result.status == 0, "\(result.errors)")
        return result.output.split(separator: "\n").map(String.init)
    }

    @Test func everyRequestBodyGetsTheSpecsVerdict() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Agree")
            let target = uniqueName("AgreeTarget")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: (1...3).map { TestMessages.simple(subject: "a\($0)") })
            let imap = try await harness.imap()
            try await imap.create(MailboxName(target))
            await imap.logout()
            let uids = try await folderUIDs(harness, folder)
            let message = Paths.message(folder, uid: uids[0])
            let batch = Paths.messages(folder) + "/batch"
            let targetPath = Paths.folder(target)
            let json = { (value: String) in String(decoding: try! JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed), as: UTF8.self) }
            let to = json(target)

            let cases: [Case] = [
                // FlagChange: add/remove are minItems 1, set may be empty, no other member.
                Case(method: "PATCH", path: message, body: #"{"flags":{"remove":[]}}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"add":[]}}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"add":["\\Seen"],"remove":[]}}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"add":["\\Seen"],"bogus":["x"]}}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"add":["\\Seen"]},"extra":1}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{}}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":null}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"set":["\\Seen"],"add":["\\Flagged"]}}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"add":[""]}}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"add":null}}"#),
                Case(method: "PATCH", path: message, body: #"{}"#),
                Case(method: "PATCH", path: message, body: #"[]"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"set":[]}}"#),
                Case(method: "PATCH", path: message, body: #"{"flags":{"add":["\\Seen"],"remove":["$Done"]}}"#),
                // FolderUpdate.
                Case(method: "PATCH", path: targetPath, body: #"{"subscribed":true,"subscibed":false}"#),
                Case(method: "PATCH", path: targetPath, body: #"{"subscribed":null}"#),
                Case(method: "PATCH", path: targetPath, body: #"{"name":null,"subscribed":true}"#),
                Case(method: "PATCH", path: targetPath, body: #"{}"#),
                Case(method: "PATCH", path: targetPath, body: #"{"name":""}"#),
                Case(method: "PATCH", path: targetPath, body: #"{"subscribed":"yes"}"#),
                Case(method: "PATCH", path: targetPath, body: #"{"subscribed":true}"#),
                // FolderCreate.
                Case(method: "POST", path: "/folders", body: #"{"name":"x","parent":"INBOX"}"#),
                Case(method: "POST", path: "/folders", body: #"{"name":""}"#),
                Case(method: "POST", path: "/folders", body: #"{}"#),
                Case(method: "POST", path: "/folders", body: #"{"name":\#(json(uniqueName("AgreeNew")))}"#),
                // TargetFolder.
                Case(method: "POST", path: message + "/copy", body: #"{"to":""}"#),
                Case(method: "POST", path: message + "/copy", body: #"{"to":\#(to),"keep":true}"#),
                Case(method: "POST", path: message + "/copy", body: #"{"to":null}"#),
                Case(method: "POST", path: message + "/copy", body: #"{"to":\#(to)}"#),
                Case(method: "POST", path: Paths.message(folder, uid: uids[1]) + "/move", body: #"{"to":\#(to)}"#),
                // BatchRequest: members an action does not use are still checked.
                Case(method: "POST", path: batch, body: #"{"uids":[],"action":"delete"}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2])],"action":"move","to":\#(to),"flags":{}}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2])],"action":"delete","to":""}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2])],"action":"flags","flags":{"remove":[]}}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2])],"action":"copy"}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2])],"action":"delete","permanent":null}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2])],"action":"delete","extra":1}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[0],"action":"delete"}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2])],"action":"nuke"}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2])],"action":"flags","flags":{"add":["$Done"]}}"#),
                Case(method: "POST", path: batch, body: #"{"uids":[\#(uids[2]),\#(uids[2])],"action":"flags","flags":{"add":["$Done"]}}"#),
                // TicketRequest.
                Case(method: "POST", path: "/tickets", body: #"{"path":"/folders/INBOX/events","extra":1}"#),
                Case(method: "POST", path: "/tickets", body: #"{}"#),
                Case(method: "POST", path: "/tickets", body: #"{"path":"/folders/INBOX/events"}"#),
            ]
            let verdicts = try await specVerdicts(cases)
            try #require(verdicts.count == cases.count, "\(verdicts)")
            var refused = 0
            for (item, verdict) in zip(cases, verdicts) {
                let response = try await harness.request(item.path, method: item.method, body: Data(item.body.utf8))
                let label = "\(item.method) \(item.path) \(item.body) → \(response.status) \(response.text.prefix(300)); spec: \(verdict)"
                if verdict == "valid" {
                    #expect(response.status / 100 == 2, "\(label)")
                } else {
                    refused += 1
                    #expect(response.status == 400, "\(label)")
                    // The detail names what is wrong, so a client can fix its body.
                    #expect(response.text.contains("bad-"), "\(label)")
                }
            }
            // The cases cover both verdicts (a validator that says "invalid" to all would fail above).
            #expect(refused == 35)
        }
    }
}
