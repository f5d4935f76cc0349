import Foundation
import Testing

/// The examples docs/api.md shows, as the server must send them.
private enum APIExamples {
    static let folder = #"""
    {"name": "Reports/2024", "delimiter": "/", "parent": "Reports", "leaf": "2024",
     "specialUse": null, "attributes": ["\\HasNoChildren"], "selectable": true,
     "subscribed": true, "href": "/folders/Reports%2F2024",
     "status": {"messages": 3, "unseen": 1, "uidNext": 4, "uidValidity": 1795828905}}
    """#
    static let summary = #"""
    {"uid": 2000, "messageId": "<bulk1999@example.com>", "subject": "Quarterly report",
     "from": [{"name": "Ann", "email": "ann@example.com"}], "to": [], "cc": [],
     "replyTo": [], "inReplyTo": null, "sentAt": "2015-01-14T21:10:00+00:00",
     "receivedAt": "2015-01-14T21:10:00Z", "flags": ["\\Seen"], "size": 2306,
     "hasAttachment": false, "preview": "first ~200 characters of the text"}
    """#
    static let list = #"{"folder": "INBOX", "uidValidity": 1795828905, "total": 2000, "messages": [\#(summary)], "nextCursor": "AQBrCiypAAAH0OFynFI"}"#
    static let lastPage = #"{"folder": "INBOX", "uidValidity": 1795828905, "total": 1, "messages": [{"uid": 1, "subject": null}], "nextCursor": null}"#
    static let message = #"""
    {"uid": 2000, "messageId": "<bulk1999@example.com>", "subject": "Quarterly report",
     "from": [{"name": "Doe, John", "email": "john.doe@example.com"}], "to": [], "cc": [],
     "replyTo": [], "inReplyTo": null, "sentAt": null, "receivedAt": "2015-01-14T21:10:00Z",
     "flags": ["\\Seen", "$Forwarded"], "size": 2306, "hasAttachment": true, "preview": null,
     "bcc": [], "sender": [{"name": null, "email": "list@example.com"}], "references": ["<a@example.com>"],
     "headers": [{"name": "Subject", "value": "Quarterly report"}], "textBody": "Hi", "htmlBody": null,
     "attachments": [{"partId": "2", "filename": "report.pdf", "contentType": "application/pdf",
       "size": 30000, "disposition": "attachment", "contentId": null, "href": "/folders/INBOX/messages/2000/parts/2"}],
     "decodingProblems": ["subject: unknown charset x-foo"]}
    """#
    static let problem = #"{"type": "https://imap-gateway.dev/problems/bad-search", "title": "Bad search", "status": 400, "detail": "search syntax error at position 2: '(' without a matching ')'", "parameter": "search", "position": 2}"#
    static let capabilities = #"""
    {"capabilities": ["IMAP4REV1", "MOVE", "UIDPLUS"], "features": {"move": true, "uidplus": true,
     "condstore": false, "specialUse": true, "esearch": false, "idle": true}}
    """#
    static let folderStatus = #"""
    {"name": "INBOX", "href": "/folders/INBOX", "exists": 3, "recent": 0, "uidNext": 4, "uidValidity": 1795828905,
     "flags": ["\\Seen", "\\Answered"], "permanentFlags": ["\\Seen", "\\*"], "readOnly": true, "highestModSeq": null}
    """#
    static let batch = #"""
    {"action": "move", "results": [{"uid": 4, "status": 200, "folder": "Archive", "newUid": 17},
     {"uid": 5, "status": 404, "problem": {"type": "https://imap-gateway.dev/problems/not-found", "title": "Not found", "status": 404}}]}
    """#
}

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("openapi.yaml passes openapi-spec-validator")
    func specValidates() throws {
        guard let validator = OpenAPITooling.executable("openapi-spec-validator") else {
            Issue.record("openapi-spec-validator is not installed; install it with: python3 -m pip install openapi-spec-validator")
            return
        }
        let result = try OpenAPITooling.run(validator, [OpenAPITooling.specPath])
        #expect(result.status == 0, "\(result.all)")
        #expect(result.output.contains("OK"), "\(result.all)")
    }

    @Test("every endpoint of api.md's resource table is in the spec")
    func endpoints() throws {
        let python = try #require(OpenAPITooling.executable("python3"))
        let script = """
        import sys, yaml
        spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
        for path, item in spec["paths"].items():
            for method in item:
                if method in ("get", "post", "put", "patch", "delete", "head"):
                    print(method.upper(), path)
        """
        let result = try OpenAPITooling.run(python, ["-c", script, OpenAPITooling.specPath])
        #expect(result.status == 0, "\(result.all)")
        let operations = Set(result.output.split(separator: "\n").map(String.init))
        let expected: Set<String> = [
            "GET /health", "GET /ready", "GET /openapi.yaml", "GET /metrics", "GET /capabilities",
            "GET /folders", "POST /folders",
            "GET /folders/{folder}", "PATCH /folders/{folder}", "DELETE /folders/{folder}",
            "GET /folders/{folder}/messages", "POST /folders/{folder}/messages",
            "POST /folders/{folder}/messages/batch",
            "GET /folders/{folder}/messages/{uid}", "PATCH /folders/{folder}/messages/{uid}",
            "DELETE /folders/{folder}/messages/{uid}",
            "POST /folders/{folder}/messages/{uid}/move", "POST /folders/{folder}/messages/{uid}/copy",
            "GET /folders/{folder}/messages/{uid}/raw", "GET /folders/{folder}/messages/{uid}/parts/{partId}",
            "GET /folders/{folder}/events", "GET /folders/{folder}/changes",
            "POST /tickets", "GET /folders/{folder}/messages/{uid}/html",
        ]
        #expect(operations == expected, "missing: \(expected.subtracting(operations)), extra: \(operations.subtracting(expected))")
    }
}

@Suite("validate_response.py")
struct ValidateResponseTests {
    @Test("accepts api.md's examples", arguments: [
        ("GET", "/health", 200, #"{"status":"ok"}"#),
        ("GET", "/folders", 200, #"{"folders": [\#(APIExamples.folder)]}"#),
        ("GET", "/folders", 200, #"{"folders": []}"#),
        ("POST", "/folders", 201, APIExamples.folder),
        ("GET", "/folders/{folder}", 200, APIExamples.folderStatus),
        ("GET", "/folders/INBOX/messages", 200, APIExamples.list),
        ("GET", "/folders/Reports%2F2024/messages", 200, APIExamples.lastPage),
        ("GET", "/folders/{folder}/messages/{uid}", 200, APIExamples.message),
        ("GET", "/folders/INBOX/messages/2000", 200, APIExamples.message),
        ("GET", "/folders/{folder}/messages", 400, APIExamples.problem),
        ("GET", "/capabilities", 200, APIExamples.capabilities),
        ("POST", "/folders/INBOX/messages/7/move", 200, #"{"folder": "Archive", "uid": 7}"#),
        ("POST", "/folders/INBOX/messages/7/copy", 200, #"{"folder": "Archive", "uid": null}"#),
        ("POST", "/folders/INBOX/messages", 201, #"{"uid": 42}"#),
        ("POST", "/folders/INBOX/messages/batch", 200, APIExamples.batch),
        ("PATCH", "/folders/INBOX/messages/7", 200, #"{"uid": 7, "flags": ["\\Seen"]}"#),
        ("DELETE", "/folders/INBOX/messages/7", 204, ""),
        ("GET", "/folders/INBOX/messages", 409, #"{"type": "https://imap-gateway.dev/problems/uidvalidity-changed", "title": "UIDVALIDITY changed", "status": 409, "folder": "INBOX", "uidValidity": 7}"#),
        ("GET", "/folders", 503, #"{"type": "https://imap-gateway.dev/problems/pool-exhausted", "title": "No IMAP session free", "status": 503, "retryAfter": 2}"#),
        ("GET", "/folders", 500, #"{"type": "about:blank", "title": "Internal Server Error", "status": 500}"#),
    ] as [(String, String, Int, String)])
    func accepts(method: String, path: String, status: Int, body: String) throws {
        let result = try OpenAPITooling.validate(method, path, status, body: body)
        #expect(result.status == 0, "\(result.all)")
        #expect(result.output.hasPrefix("ok:"), "\(result.all)")
    }

    @Test("rejects broken bodies, saying where", arguments: [
        ("GET", "/health", 200, #"{"status":"fine"}"#, "$.status"),
        ("GET", "/folders", 200, #"[\#(APIExamples.folder)]"#, "is not of type 'object'"),
        ("GET", "/folders", 200, #"{"folders": [{"name": "INBOX"}]}"#, "'href' is a required property"),
        ("GET", "/folders", 200, APIExamples.folder.replacingOccurrences(of: #""specialUse": null"#, with: #""specialUse": "Inbox""#).wrappedInFolders, "$.folders[0].specialUse"),
        ("GET", "/folders/INBOX/messages", 200, APIExamples.list.replacingOccurrences(of: #", "nextCursor": "AQBrCiypAAAH0OFynFI""#, with: ""), "'nextCursor' is a required property"),
        ("GET", "/folders/INBOX/messages", 200, APIExamples.list.replacingOccurrences(of: #""uid": 2000"#, with: #""uid": "2000""#), "$.messages[0].uid"),
        ("GET", "/folders/INBOX/messages", 200, APIExamples.list.replacingOccurrences(of: #""from": [{"name": "Ann", "email": "ann@example.com"}]"#, with: #""from": {"name": "Ann", "email": "ann@example.com"}"#), "$.messages[0].from"),
        ("GET", "/folders/INBOX/messages", 200, APIExamples.list.replacingOccurrences(of: #"{"name": "Ann", "#, with: "{"), "'name' is a required property"),
        ("GET", "/folders/INBOX/messages", 200, APIExamples.list.replacingOccurrences(of: "2015-01-14T21:10:00+00:00", with: "Wed, 14 Jan 2015 21:10:00 +0000"), "$.messages[0].sentAt"),
        ("GET", "/folders/INBOX/messages", 200, APIExamples.list.replacingOccurrences(of: #""size": 2306"#, with: #""size": 2306, "sizeBytes": 2306"#), "'sizeBytes' was unexpected"),
        ("GET", "/folders/INBOX/messages/1", 200, APIExamples.summary, "'attachments' is a required property"),
        ("GET", "/folders/INBOX/messages", 400, #"{"title": "Bad search", "status": 400}"#, "'type' is a required property"),
        ("GET", "/folders/INBOX/messages", 400, #"{"type": "about:blank", "title": "Bad", "status": "400"}"#, "$.status"),
        ("POST", "/folders/INBOX/messages/7/move", 200, #"{"folder": "Archive", "uid": 0}"#, "$.uid"),
        ("DELETE", "/folders/INBOX/messages/7", 204, #"{"deleted": true}"#, "no body"),
        ("GET", "/capabilities", 200, "<html>", "not JSON"),
    ] as [(String, String, Int, String, String)])
    func rejects(method: String, path: String, status: Int, body: String, complaint: String) throws {
        let result = try OpenAPITooling.validate(method, path, status, body: body)
        #expect(result.status == 1, "\(result.all)")
        #expect(result.errors.contains("INVALID"), "\(result.all)")
        #expect(result.errors.contains(complaint), "\(result.all)")
    }

    @Test("required headers: Retry-After on 429/503, WWW-Authenticate on 401")
    func headers() throws {
        let busy = #"{"type": "https://imap-gateway.dev/problems/pool-exhausted", "title": "No IMAP session free", "status": 503}"#
        #expect(try OpenAPITooling.validate("GET", "/folders", 503, body: busy, headers: ["Retry-After: 2", "X-Request-ID: r1"]).status == 0)
        let missing = try OpenAPITooling.validate("GET", "/folders", 503, body: busy, headers: ["X-Request-ID: r1"])
        #expect(missing.status == 1 && missing.errors.contains("Retry-After is required"), "\(missing.all)")
        let notANumber = try OpenAPITooling.validate("GET", "/folders", 429, body: busy, headers: ["Retry-After: soon"])
        #expect(notANumber.status == 1 && notANumber.errors.contains("not a whole number"), "\(notANumber.all)")
        let unauthorized = #"{"type": "https://imap-gateway.dev/problems/unauthorized", "title": "Unauthorized", "status": 401}"#
        let noChallenge = try OpenAPITooling.validate("GET", "/capabilities", 401, body: unauthorized, headers: ["X-Request-ID: r2"])
        #expect(noChallenge.status == 1 && noChallenge.errors.contains("WWW-Authenticate is required"), "\(noChallenge.all)")
        let challenged = try OpenAPITooling.validate(
            "GET", "/capabilities", 401, body: unauthorized, headers: [#"WWW-Authenticate: Basic realm="imap-gateway""#])
        #expect(challenged.status == 0, "\(challenged.all)")
    }

    @Test("HEAD is checked as GET without a body")
    func head() throws {
        #expect(try OpenAPITooling.validate("HEAD", "/folders/INBOX/messages/3/raw", 200, body: "").status == 0)
        let withBody = try OpenAPITooling.validate("HEAD", "/folders", 200, body: #"{"folders": []}"#)
        #expect(withBody.status == 1 && withBody.errors.contains("HEAD response has no body"), "\(withBody.all)")
    }

    @Test("an operation or status the spec lacks is a usage error (2), not a pass", arguments: [
        ("GET", "/nowhere", 200),
        ("PUT", "/folders", 200),
        ("GET", "/health", 404),
    ] as [(String, String, Int)])
    func unknownOperation(method: String, path: String, status: Int) throws {
        let result = try OpenAPITooling.validate(method, path, status, body: "{}")
        #expect(result.status == 2, "\(result.all)")
    }
}

private extension String {
    var wrappedInFolders: String { #"{"folders": [\#(self)]}"# }
}
