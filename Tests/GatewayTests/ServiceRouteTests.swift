import Foundation
import Gateway
import Testing
import TestSupport

@Suite("Health, readiness, OpenAPI, capabilities", .serialized)
struct ServiceRouteTests {
    @Test func healthNeedsNoAuthAndNoIMAP() async throws {
        try await withHarness(configure: { $0.imap = IMAPEndpoint(host: "127.0.0.1", port: 1, security: .none) }) { harness in
            let health = try await harness.request("/health", user: nil)
            #expect(health.status == 200)
            #expect(try health.json()["status"] as? String == "ok")
            // The IMAP server (port 1) is not there: readiness says so, liveness does not care.
            let ready = try await harness.request("/ready", user: nil)
            #expect(ready.status == 503)
            #expect(ready.headers["retry-after"] != nil)
            #expect(ready.headers["content-type"] == "application/problem+json")
        }
    }

    @Test func readyWhenTheServerGreets() async throws {
        try await withHarness { harness in
            let ready = try await harness.request("/ready", user: nil)
            #expect(ready.status == 200)
            #expect(try ready.json()["status"] as? String == "ready")
        }
    }

    @Test func openAPIDocumentIsServedFromTheConfiguredPath() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString).yaml")
        try Data("openapi: 3.1.0\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withHarness(configure: { $0.openAPIPath = file.path }) { harness in
            let spec = try await harness.request("/openapi.yaml", user: nil)
            #expect(spec.status == 200)
            #expect(spec.text == "openapi: 3.1.0\n")
            #expect(spec.headers["content-type"]?.hasPrefix("application/yaml") == true)
        }
    }

    @Test func capabilitiesAndTheFeaturesTheyEnable() async throws {
        try await withHarness { harness in
            let response = try await harness.request("/capabilities")
            #expect(response.status == 200)
            let json = try response.json()
            let capabilities = json["capabilities"] as? [String] ?? []
            #expect(capabilities.contains("IMAP4REV1"))
            let features = json["features"] as? [String: Bool] ?? [:]
            #expect(features["move"] == capabilities.contains("MOVE"))
            #expect(features["uidplus"] == capabilities.contains("UIDPLUS"))
            #expect(features["idle"] == capabilities.contains("IDLE"))
            #expect(Set(features.keys) == ["move", "uidplus", "condstore", "specialUse", "esearch", "idle"])
            // Sorted by name, so the answer is the same in every process (it was a set's order).
            #expect(capabilities == capabilities.sorted())
        }
    }
}
