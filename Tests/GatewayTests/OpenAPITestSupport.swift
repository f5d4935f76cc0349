import Foundation

/// Runs the repository's Python tooling (openapi-spec-validator, scripts/validate_response.py) for the OpenAPI tests.
enum OpenAPITooling {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
        var all: String { output + errors }
    }

    /// The checkout these tests were compiled from.
    static let repositoryRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    static var specPath: String { repositoryRoot.appendingPathComponent("openapi.yaml").path }
    static var validateScript: String { repositoryRoot.appendingPathComponent("scripts/validate_response.py").path }

    /// The first executable called `name` on PATH (pyenv shims included), or nil.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`, feeding `input` on stdin; waits for it to exit.
    static func run(_ executable: String, _ arguments: [String], input: Data = Data()) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both pipes while the child runs, so a chatty child cannot fill one and stall.
        let outputBox = DataBox(), errorBox = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(stdout, outputBox), (stderr, errorBox)] {
            group.enter()
            DispatchQueue.global().async {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputBox.data, as: UTF8.self),
            errors: String(decoding: errorBox.data, as: UTF8.self))
    }

    /// `python3 scripts/validate_response.py METHOD PATH STATUS < body`
    /// `headers` are `Name: value` lines; given any, the spec's required headers are checked too.
    static func validate(_ method: String, _ path: String, _ status: Int, body: String, headers: [String] = []) throws -> Result {
        guard let python = executable("python3") else { throw Missing(tool: "python3", install: "apt-get install -y python3") }
        let headerArguments = headers.flatMap { ["--header", $0] }
        return try run(python, [validateScript, method, path, String(status)] + headerArguments, input: Data(body.utf8))
    }

    /// A tool the tests need is not installed; says how to install it.
    struct Missing: Error, CustomStringConvertible {
        var tool: String
        var install: String
        var description: String { "\(tool) is not installed; install it with: \(install)" }
    }

    /// Written by one reader thread, read after `DispatchGroup.wait()`, which orders the two.
    private final class DataBox: @unchecked Sendable {
        var data = Data()
    }
}
