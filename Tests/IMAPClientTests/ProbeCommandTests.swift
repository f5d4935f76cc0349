import Foundation
import Testing
import TestSupport
@testable import IMAPClient

/// Runs the built `imap-gateway probe` against Dovecot. The binary is found next to the test bundle
/// (SwiftPM builds it with the tests) or at IMAP_GATEWAY_BINARY.
@Suite("imap-gateway probe against Dovecot")
struct ProbeCommandTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["IMAP_GATEWAY_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("imap-gateway")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw ProbeBinaryMissing()
    }

    struct ProbeBinaryMissing: Error, CustomStringConvertible {
        var description: String { "imap-gateway binary not found next to the test bundle; build it (swift build --product imap-gateway) or set IMAP_GATEWAY_BINARY" }
    }

    func probe(_ arguments: [String], password: String? = nil) async throws -> Outcome {
        let binary = try Self.binary()
        return try await TestServer.offPool {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["probe"] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["IMAP_PASSWORD"] = password
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
        }
    }

    @Test("--json prints capabilities, folders and the asked folder's summary (STARTTLS, password from IMAP_PASSWORD)")
    func json() async throws {
        let dovecot = try await TestServer.dovecot()
        let folder = TestServer.uniqueFolder("Entwürfe")
        let messages = [TestServer.message(subject: "probe")]
        try await TestServer.offPool { try dovecot.deliver(user: "alice", folder: folder, messages: messages) }
        let outcome = try await probe([
            "--host", dovecot.host, "--port", String(dovecot.port), "--user", "alice", "--tls", "starttls",
            "--ca-file", dovecot.caFile ?? "", "--folder", folder, "--json",
        ], password: DovecotUser.alice.password)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let capabilities = try #require(object["capabilities"] as? [String])
        #expect(capabilities.contains("IMAP4REV1"))
        let folders = try #require(object["folders"] as? [[String: Any]])
        let inbox = try #require(folders.first { $0["name"] as? String == "INBOX" })
        #expect(inbox["specialUse"] as? String == "inbox")
        #expect(inbox["delimiter"] as? String == "/")
        #expect(inbox["attributes"] is [String])
        #expect(folders.contains { $0["name"] as? String == folder }, "UTF-8 names, not modified UTF-7")
        let summary = try #require(object["folder"] as? [String: Any])
        #expect(summary["exists"] as? Int == 1)
        #expect(summary["readOnly"] as? Bool == true)
        #expect(summary["uidNext"] as? Int == 2)
        #expect(summary["uidValidity"] is Int)
        #expect(summary["flags"] is [String])
        #expect(summary["permanentFlags"] is [String])
        #expect(summary.keys.contains("highestModSeq"))
        #expect(!outcome.stdout.contains(DovecotUser.alice.password))
    }

    @Test("text output over implicit TLS with --password-file")
    func text() async throws {
        let dovecot = try await TestServer.dovecot()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
        try Data((DovecotUser.alice.password + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try await probe([
            "--host", dovecot.host, "--port", String(dovecot.tlsPort ?? 0), "--user", "alice",
            "--ca-file", dovecot.caFile ?? "", "--password-file", file.path, "--folder", "INBOX",
        ])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stdout.contains("Capabilities: "))
        #expect(outcome.stdout.contains("INBOX"))
        #expect(outcome.stdout.contains("special-use inbox"))
        #expect(outcome.stdout.contains("Folder \"INBOX\""))
    }

    @Test("failures give one line on stderr and distinct non-zero exit codes")
    func failures() async throws {
        let dovecot = try await TestServer.dovecot()
        let base = ["--host", dovecot.host, "--user", "alice"]
        let cases: [(arguments: [String], password: String, status: Int32, mentions: String)] = [
            (base + ["--port", String(dovecot.port), "--tls", "none"], "wrong", 4, "login"),
            (base + ["--port", String(dovecot.tlsPort ?? 0)], DovecotUser.alice.password, 3, "certificate"),
            (["--host", "127.0.0.1", "--port", "1", "--user", "alice", "--tls", "none"], "x", 2, "refused"),
            (["--host", "no-such-host.invalid", "--user", "alice"], "x", 2, "resolve"),
            (base + ["--port", String(dovecot.port), "--tls", "none", "--folder", "No such folder"], DovecotUser.alice.password, 5, "No such folder"),
        ]
        for item in cases {
            let outcome = try await probe(item.arguments, password: item.password)
            #expect(outcome.status == item.status, "\(item.arguments): \(outcome.stderr)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1, "exactly one line on stderr, got: \(outcome.stderr)")
            #expect(outcome.stderr.contains(item.mentions), "\(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
            #expect(!outcome.stderr.contains(DovecotUser.alice.password))
        }
    }
}
