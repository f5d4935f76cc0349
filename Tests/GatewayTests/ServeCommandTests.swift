import Foundation
import Testing

/// `imap-gateway serve` refuses bad settings, from a flag or from the environment, with a message
/// naming the setting, the value and what was expected; it runs the real binary (each run ends
/// at the refusal, before anything listens).
@Suite("serve: bad settings give clear errors")
struct ServeCommandTests {
    /// Built with the tests: SwiftPM puts the executable next to the test bundle.
    private static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("imap-gateway")
    }

    @Test("a bad value is refused, naming setting, value and the expected form", arguments: [
        (["--imap-timeout", "5x"], [:], "Invalid imap-timeout '5x': expected a duration such as 30, 30s, 500ms or 5m."),
        ([], ["IMAP_TIMEOUT": "5x"], "Invalid imap-timeout '5x': expected a duration such as 30, 30s, 500ms or 5m."),
        (["--imap-port", "70000"], [:], "Invalid imap-port '70000': expected 1-65535."),
        ([], ["IMAP_PORT": "0"], "Invalid imap-port '0': expected a whole number above 0."),
        ([], ["POOL_GLOBAL": "many"], "Invalid pool-global 'many': expected a whole number above 0."),
        ([], ["ACCOUNT_MAX_CONNECTIONS": "0"], "Invalid account-max-connections '0': expected a whole number above 0."),
        (["--listen", "8080"], [:], "Invalid listen '8080': expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080."),
        ([], ["AUTH_MODE": "oauth"], "Invalid auth 'oauth': expected passthrough or account."),
        (["--log-format", "xml"], [:], "Invalid log-format 'xml': expected text or json."),
        ([], ["IMAP_TLS": "ssl"], "Invalid imap-tls 'ssl': expected implicit, starttls or none."),
        (["--auth", "account"], [:], "Missing account password: --auth account needs ACCOUNT_PASSWORD or --account-password-file."),
        // The flag wins over the environment: the bad IMAP_TIMEOUT is never read, POOL_GLOBAL is.
        (["--imap-timeout", "5s"], ["IMAP_TIMEOUT": "never", "POOL_GLOBAL": "0"], "Invalid pool-global '0'"),
    ] as [([String], [String: String], String)])
    func refused(arguments: [String], environment: [String: String], message: String) async throws {
        let run = try await Self.serve(arguments, environment: environment)
        #expect(run.status != 0)
        #expect(run.output.contains(message), "output: \(run.output)")
        #expect(!run.output.contains("listening on"))
        if let flag = arguments.first, arguments.count == 2, environment.isEmpty, message.hasPrefix("Invalid") {
            // A bad flag is refused by the argument parser, which names the flag as typed.
            #expect(run.output.contains("is invalid for '\(flag) "), "output: \(run.output)")
        }
    }

    @Test("help names each setting's environment variable and default")
    func helpNamesEnvironment() async throws {
        let run = try await Self.serve(["--help"], environment: [:])
        #expect(run.status == 0)
        for text in ["(IMAP_TIMEOUT, default 30s)", "(LISTEN, default 127.0.0.1:8080)", "(AUTH_MODE, default passthrough)",
                     "(IMAP_IGNORE_CAPABILITIES)", "(ALLOW_INSECURE_PASSTHROUGH=1)", "ACCOUNT_PASSWORD"] {
            #expect(run.output.contains(text), "help lacks \(text)")
        }
    }

    /// Runs `imap-gateway serve ARGS` with only `environment` (and PATH); output through a file, so
    /// no thread waits on a pipe.
    private static func serve(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("No imap-gateway binary at \(binary.path): build it with the tests (swift build --build-tests)")
            return (0, "")
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve"] + arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin", "COLUMNS": "400"]) { mine, _ in mine }
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
