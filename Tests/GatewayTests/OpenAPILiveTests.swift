import Foundation
import Gateway
import IMAP
import Testing
import TestSupport

/// Real answers of a running gateway, checked against openapi.yaml's schemas by
/// scripts/validate_response.py: the spec must describe what the server does.
@Suite("OpenAPI conformance of live responses", .serialized)
struct OpenAPILiveTests {
    /// Runs the validator on a Dispatch thread, so the cooperative pool never waits on a child process.
    private func validate(_ method: String, _ template: String, _ result: HTTPResult) async throws -> OpenAPITooling.Result {
        let headers = result.headers.map { "\($0.key): \($0.value)" }
        let body = result.text
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try OpenAPITooling.validate(method, template, result.status, body: body, headers: headers)
                })
            }
        }
    }

    @Test func readAndWriteResponsesMatchTheSpec() async throws {
        try await withHarness { harness in
            let folder = uniqueName("Spec ü")
            let other = uniqueName("SpecTarget")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.simple(subject: "one"),
                TestMessages.withAttachment(Array("attachment bytes".utf8), filename: "a.txt"),
                TestMessages.simple(subject: "three"),
            ])
            let uids = try await folderUIDs(harness, folder)
            let message = Paths.message(folder, uid: uids[1])

            var checks: [(String, String, HTTPResult)] = []
            func record(_ method: String, _ template: String, _ path: String, body: Data? = nil,
                        headers: [String: String] = [:], user: DovecotUser? = .alice) async throws {
                let result = try await harness.request(path, method: method, user: user, headers: headers, body: body)
                checks.append((method, template, result))
            }
            try await record("GET", "/health", "/health")
            try await record("GET", "/capabilities", "/capabilities")
            try await record("GET", "/folders", "/folders?status=true")
            try await record("GET", "/folders/{folder}", Paths.folder(folder))
            try await record("GET", "/folders/{folder}/messages", Paths.messages(folder) + "?limit=2")
            try await record("GET", "/folders/{folder}/messages", Paths.messages(folder) + "?search=from:(")
            try await record("GET", "/folders/{folder}/messages", Paths.messages(uniqueName("Missing")))
            try await record("GET", "/folders/{folder}/messages/{uid}", message)
            try await record("GET", "/folders/{folder}/messages/{uid}", Paths.message(folder, uid: 999_999))
            try await record("PATCH", "/folders/{folder}/messages/{uid}", message,
                             body: try jsonBody(["flags": ["add": ["\\Seen"]]]))
            try await record("POST", "/folders", "/folders", body: try jsonBody(["name": other]))
            try await record("POST", "/folders", "/folders", body: try jsonBody(["name": other]))
            try await record("POST", "/folders/{folder}/messages/{uid}/copy", message + "/copy", body: try jsonBody(["to": other]))
            try await record("POST", "/folders/{folder}/messages/{uid}/move", Paths.message(folder, uid: uids[0]) + "/move",
                             body: try jsonBody(["to": other]))
            try await record("POST", "/folders/{folder}/messages/batch", Paths.messages(folder) + "/batch",
                             body: try jsonBody(["uids": [uids[2], 999_999], "action": "flags", "flags": ["add": ["$Done"]]]))
            try await record("POST", "/folders/{folder}/messages", Paths.messages(folder),
                             body: Data(TestMessages.simple(subject: "uploaded")), headers: ["Content-Type": "message/rfc822"])
            try await record("PATCH", "/folders/{folder}", Paths.folder(other), body: try jsonBody(["subscribed": false]))

            for (method, template, result) in checks {
                let verdict = try await validate(method, template, result)
                #expect(verdict.status == 0, "\(method) \(template) → \(result.status): \(verdict.all)\n\(result.text.prefix(400))")
            }
            #expect(checks.map(\.2.status) == [200, 200, 200, 200, 200, 400, 404, 200, 404, 200, 201, 409, 200, 200, 200, 201, 200])
        }
    }
}
