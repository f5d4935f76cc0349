import Foundation
import Gateway
import Sockets
import Testing
import TestSupport

/// A real browser in the suite: headless Chromium driven by Playwright for Python
/// (`Tests/browser/browser_test.py`), and a client generated from openapi.yaml by
/// `openapi-python-client` (`Tests/browser/generated_client_test.py`), both against this
/// gateway and Dovecot. Missing tools fail the test with the command that installs them
/// (`scripts/install-deps.sh` does it all).
@Suite("Browsers and generated clients", .serialized)
struct BrowserTests {
    static let root = repositoryRoot()

    @Test("Headless Chromium: a page on another origin and the built-in /ui/ log in, list, read HTML, flag, upload, get events, download; mail HTML runs nothing")
    func realBrowser() async throws {
        let pagePort = try Self.freePort()
        let pageOrigin = "http://localhost:\(pagePort)"
        try await withBrowserHarness(configure: {
            $0.corsOrigins = [pageOrigin]
            $0.uiEnabled = true
            $0.uiDirectory = Self.root + "/ui"
            // Each page load opens event streams; a closed tab's stream is noticed at the next
            // heartbeat. Room for all of them, and quick notice, keep the runs independent.
            $0.events.perAccount = 16
            $0.events.heartbeat = .seconds(1)
        }) { harness in
            let (status, output) = try await Self.python("browser_test.py", environment: [
                "GATEWAY_URL": harness.base, "PAGE_PORT": String(pagePort),
                "IMAP_HOST": harness.dovecot.host, "IMAP_PORT": String(harness.dovecot.port),
                "IMAP_USER": DovecotUser.alice.name, "IMAP_PASSWORD": DovecotUser.alice.password,
                "UI_DIR": Self.root + "/ui",
            ])
            #expect(status == 0, "browser_test.py:\n\(output)")
            #expect(output.contains(" passed, 0 failed"), "browser_test.py:\n\(output)")
        }
    }

    @Test("openapi-python-client generates a client without a warning, and it reads every read endpoint")
    func generatedClient() async throws {
        try await withBrowserHarness(configure: { $0.openAPIPath = Self.root + "/openapi.yaml" }) { harness in
            let (status, output) = try await Self.python("generated_client_test.py", environment: [
                "GATEWAY_URL": harness.base, "REPO_ROOT": Self.root,
                "IMAP_HOST": harness.dovecot.host, "IMAP_PORT": String(harness.dovecot.port),
                "IMAP_USER": DovecotUser.alice.name, "IMAP_PASSWORD": DovecotUser.alice.password,
            ])
            #expect(status == 0, "generated_client_test.py:\n\(output)")
            #expect(output.contains(" passed, 0 failed"), "generated_client_test.py:\n\(output)")
        }
    }

    /// Runs blocking work (waiting for a child process) on a Dispatch thread, not on the
    /// cooperative pool that the in-process gateway needs.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// A loopback port free right now (the page server binds it a moment later).
    static func freePort() throws -> Int {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        return listener.port
    }

    /// Runs `Tests/browser/<script>` with python3 off the cooperative pool (the gateway under
    /// test runs on it); returns the exit status and stdout+stderr.
    static func python(_ script: String, environment: [String: String]) async throws -> (Int32, String) {
        let path = root + "/Tests/browser/" + script
        return try await Self.offPool {
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("browser-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: log) }
            let handle = try FileHandle(forWritingTo: log)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", path]
            var env = ProcessInfo.processInfo.environment
            env["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
            env["PYTHONUNBUFFERED"] = "1"
            for (name, value) in environment { env[name] = value }
            process.environment = env
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            process.waitUntilExit()
            try handle.close()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return (process.terminationStatus, output)
        }
    }
}

/// The checkout this file was compiled from: the first ancestor with Package.swift.
private func repositoryRoot(from file: String = #filePath) -> String {
    var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
    while directory.path != "/", !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
        directory = directory.deletingLastPathComponent()
    }
    return directory.path
}
