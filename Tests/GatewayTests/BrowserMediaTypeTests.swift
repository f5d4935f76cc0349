import Foundation
import Gateway
import Testing
import TestSupport

/// CSRF hardening: what a cross-site form or `text/plain` fetch can send without a preflight
/// is refused with 415 by every route that reads a body, and nothing changes.
@Suite("Request media types: 415 for anything but what a route reads", .serialized)
struct BrowserMediaTypeTests {
    @Test("text/plain to /messages/batch: 415 problem with Accept-Post, the flags stay as they were")
    func batchAsTextPlain() async throws {
        try await withBrowserHarness { harness in
            let folder = uniqueName("Csrf")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "x")])
            let body = Data(#"{"uids":[1],"action":"flags","flags":{"add":["\\Flagged"]}}"#.utf8)
            let refused = try await harness.request(Paths.messages(folder) + "/batch", method: "POST",
                                                    headers: ["Content-Type": "text/plain"], body: body)
            #expect(refused.status == 415)
            #expect(refused.headers["content-type"] == "application/problem+json")
            #expect(refused.headers["accept-post"] == "application/json")
            #expect(try refused.json()["type"] as? String == "https://imap-gateway.dev/problems/unsupported-media-type")
            let message = try await harness.request(Paths.message(folder, uid: 1)).json()
            #expect(!((message["flags"] as? [String]) ?? []).contains("\\Flagged"))

            let accepted = try await harness.request(Paths.messages(folder) + "/batch", method: "POST",
                                                     headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
            #expect(accepted.status == 200)
        }
    }

    @Test("A form-encoded POST /folders and a multipart one are 415 and create nothing")
    func formPosts() async throws {
        try await withBrowserHarness { harness in
            let name = uniqueName("Form")
            for type in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain;charset=UTF-8"] {
                let refused = try await harness.request("/folders", method: "POST", headers: ["Content-Type": type],
                                                        body: Data(#"{"name":"\#(name)"}"#.utf8))
                #expect(refused.status == 415, "\(type)")
            }
            #expect(try await harness.request(Paths.folder(name)).status == 404)
        }
    }

    @Test("PATCH with a non-JSON body: 415 with Accept-Patch; a body without Content-Type is 415 too")
    func patchAndMissingType() async throws {
        try await withBrowserHarness { harness in
            let folder = uniqueName("Patch")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [TestMessages.simple(subject: "x")])
            let body = Data(#"{"flags":{"add":["\\Flagged"]}}"#.utf8)
            let refused = try await harness.request(Paths.message(folder, uid: 1), method: "PATCH",
                                                    headers: ["Content-Type": "text/plain"], body: body)
            #expect(refused.status == 415)
            #expect(refused.headers["accept-patch"] == "application/json")
            let untyped = try await RawPOST.json(port: harness.port, Paths.message(folder, uid: 1) + "/move", #"{"to":"INBOX"}"#,
                                                 contentType: "", headers: ["Authorization": Self.basic(.alice)])
            #expect(untyped.status == 415)
        }
    }

    @Test("Uploads take message/rfc822 only")
    func upload() async throws {
        try await withBrowserHarness { harness in
            let refused = try await harness.request(Paths.messages("INBOX"), method: "POST", headers: ["Content-Type": "text/plain"],
                                                    body: Data(TestMessages.simple(subject: "x")))
            #expect(refused.status == 415)
            #expect(refused.headers["accept-post"] == "message/rfc822")
        }
    }

    @Test("Problem documents: the same bytes every time, members in RFC 9457 order")
    func problemOrder() async throws {
        try await withBrowserHarness { harness in
            // A problem the gateway alone words: a server's text (Dovecot appends its timing to
            // every answer) would differ from one request to the next.
            let path = Paths.messages("INBOX") + "/0"
            let first = try await harness.request(path)
            #expect(first.status == 400)
            for _ in 0..<5 {
                let again = try await harness.request(path)
                #expect(again.body == first.body, "\(again.text) vs \(first.text)")
            }
            #expect(first.text.hasPrefix(#"{"type":"https://imap-gateway.dev/problems/bad-parameter","title":"Bad parameter","status":400,"detail":"#),
                    "\(first.text)")
        }
    }

    static func basic(_ user: DovecotUser) -> String {
        "Basic " + Data("\(user.name):\(user.password)".utf8).base64EncodedString()
    }
}

/// Runs `body` against a gateway (`GatewayHarness.start`) that is stopped before this returns,
/// also when `body` throws.
func withBrowserHarness<T>(configure: (inout GatewayConfiguration) -> Void = { _ in },
                           _ body: (GatewayHarness) async throws -> T) async throws -> T {
    let harness = try await GatewayHarness.start(configure: configure)
    do {
        let result = try await body(harness)
        await harness.stop()
        return result
    } catch {
        await harness.stop()
        throw error
    }
}
