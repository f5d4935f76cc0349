import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One test server run by its start script (`scripts/dovecot.sh`, `cyrus.sh`, `courier.sh`,
/// `pymap.sh`), which execs the server in the foreground so that it is a child of the test
/// process: launching it with its output in a file, waiting until it is ready, stopping or
/// killing its whole process tree, and keeping `LiveDovecots` (the at-exit sweep) informed.
/// `Dovecot` and `InteropServer` each hold one and add what is theirs (arguments, readiness,
/// errors).
final class ServerProcess: @unchecked Sendable {
    // @unchecked: the only mutable state (`running`, `lastStartup`) sits behind `lock`;
    // everything else is immutable after init.

    /// Why a launch failed; the owner turns it into its own error type.
    enum LaunchFailure: Error {
        case cannotStart(String)
        case exited(status: Int32)
        case notReady(detail: String)
    }

    /// What a readiness check saw.
    enum Readiness {
        case ready
        case waiting(String)
    }

    let script: String
    /// Where the script's and the server's output go.
    let outputFile: URL
    /// The listeners: `stop` and `kill` return once all of them refuse connections.
    let ports: [Int]

    private let lock = NSLock()
    private var running: Process?
    private var lastStartup: Duration = .zero

    static let stopTimeout: Duration = .seconds(10)

    init(script: String, outputFile: URL, ports: [Int]) {
        self.script = script; self.outputFile = outputFile; self.ports = ports
    }

    /// How long the last launch took until the server was ready.
    var startupTime: Duration { lock.withLock { lastStartup } }

    /// Whether the server process is alive.
    var isRunning: Bool { lock.withLock { running?.isRunning ?? false } }

    /// Runs `bash script arguments` and polls `readiness` every 10 ms until it says ready;
    /// throws `LaunchFailure` (after stopping whatever started) when the process ends first or
    /// `timeout` passes.
    func launch(arguments: [String], timeout: Duration, readiness: () -> Readiness) throws(LaunchFailure) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: outputFile) else {
            throw .cannotStart("cannot create \(outputFile.path)")
        }
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice

        let started = ContinuousClock.now
        do {
            try SignalMask.withNothingBlocked { try process.run() }
        } catch {
            throw .cannotStart("\(error)")
        }
        lock.withLock { running = process }
        LiveDovecots.shared.register(master: process.processIdentifier)
        let deadline = started + timeout
        var detail = "not tried"
        while true {
            guard process.isRunning else {
                stop()
                throw .exited(status: process.terminationStatus)
            }
            switch readiness() {
            case .ready:
                lock.withLock { lastStartup = ContinuousClock.now - started }
                return
            case .waiting(let why):
                detail = why
            }
            if ContinuousClock.now > deadline {
                stop()
                throw .notReady(detail: detail)
            }
            usleep(10_000)
        }
    }

    /// SIGTERM, then SIGKILL to the whole tree if it lingers; returns once the process is gone
    /// and the ports refuse connections. Idempotent.
    func stop() {
        guard let process = lock.withLock({ running.take() }) else { return }
        let pid = process.processIdentifier
        let children = ProcessTree.descendants(of: pid)
        if process.isRunning { Glibc.kill(pid, SIGTERM) }
        if !Self.poll(until: Self.stopTimeout, { !process.isRunning }) {
            ProcessTree.killAll(root: pid)
            _ = Self.poll(until: Self.stopTimeout, { !process.isRunning })
        }
        // Children the server left behind (Courier's authdaemond, Cyrus's imapd processes) must
        // not keep the ports or sockets.
        for child in children where Glibc.kill(child, 0) == 0 { Glibc.kill(child, SIGKILL) }
        LiveDovecots.shared.unregister(master: pid)
        waitUntilPortsClose()
    }

    /// SIGKILLs the whole tree at once, as if the server vanished; returns once the ports refuse.
    func kill() {
        guard let process = lock.withLock({ running.take() }) else { return }
        let pid = process.processIdentifier
        ProcessTree.killAll(root: pid)
        _ = Self.poll(until: Self.stopTimeout, { !process.isRunning })
        LiveDovecots.shared.unregister(master: pid)
        waitUntilPortsClose()
    }

    /// The last lines of the output file, for failure messages.
    func outputTail(lines: Int = 40) -> String { Self.tail(of: outputFile, lines: lines) }

    private func waitUntilPortsClose() {
        for port in ports {
            _ = Self.poll(until: .seconds(5)) {
                if case .refused = GreetingProbe.check(port: port, expectGreeting: false, timeoutMilliseconds: 100) { return true }
                return false
            }
        }
    }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
    static func poll(until timeout: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            usleep(10_000)
        }
        return true
    }

    static func tail(of file: URL, lines: Int) -> String {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return "(no \(file.path))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// A new directory `<parent>/imapgw-<name>-XXXXXX`.
    static func makeTemporaryDirectory(parent: String, name: String) throws(LaunchFailure) -> URL {
        var template = Array("\(parent)/imapgw-\(name)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard made else { throw .cannotStart("mkdtemp: \(String(cString: strerror(errno)))") }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}
