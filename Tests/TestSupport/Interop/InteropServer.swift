import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real Cyrus, Courier or pymap on a free loopback port with its state in a temporary
/// directory, for the interop tests; the counterpart of `Dovecot` for the other servers.
///
/// Each kind has its start script (`scripts/cyrus.sh`, `courier.sh`, `pymap.sh`), which execs
/// the server in the foreground, so it is a child of the test process. Plain IMAP only (the TLS
/// code paths are Dovecot's tests' business). Stopped by `stop()`, by `deinit`, at process exit
/// (`LiveDovecots`), and by the script's watchdog if the test process is killed.
public final class InteropServer: @unchecked Sendable {
    // @unchecked: the only mutable state (`running`, `lastStartup`) sits behind `lock`;
    // everything else is immutable after init.

    /// Which server this is.
    public let kind: InteropServerKind
    /// Always IPv4 loopback.
    public var host: String { "127.0.0.1" }
    /// The plain IMAP listener.
    public let port: Int
    /// The temporary directory with the server's configuration, mail and output.
    public let directory: URL
    /// The accounts it accepts (pymap: exactly one).
    public let users: [DovecotUser]

    private let script: String
    private let lock = NSLock()
    private var running: Process?
    private var lastStartup: Duration = .zero

    /// Where scripts/install-deps.sh unpacks the Debian packages (INTEROP_ROOT overrides).
    public static var installRoot: String {
        ProcessInfo.processInfo.environment["INTEROP_ROOT"] ?? "/opt/imap-gateway-interop"
    }

    private static let stopTimeout: Duration = .seconds(10)

    private init(kind: InteropServerKind, port: Int, directory: URL, users: [DovecotUser], script: String) {
        self.kind = kind
        self.port = port
        self.directory = directory
        self.users = users
        self.script = script
        LiveDovecots.shared.register(directory: directory)
    }

    /// Starts the server and returns once it greets on `port`.
    /// - Throws: `InteropServerError` saying why (not installed, script output, timeout).
    public static func start(_ kind: InteropServerKind, users: [DovecotUser] = [.alice]) throws -> InteropServer {
        try checkInstalled(kind)
        guard let root = RepositoryRoot.find() else { throw InteropServerError.scriptMissing(path: "<no Package.swift above \(#filePath)>") }
        let script = root.appendingPathComponent(kind.script).path
        guard FileManager.default.fileExists(atPath: script) else { throw InteropServerError.scriptMissing(path: script) }
        var attempt = 0
        while true {
            attempt += 1
            let server = InteropServer(kind: kind, port: try FreePort.pick(count: 1)[0],
                                       directory: try makeTemporaryDirectory(kind), users: users, script: script)
            do {
                try server.launch()
                return server
            } catch let error as InteropServerError where attempt < 3 && error.isAddressInUse {
                continue
            }
        }
    }

    /// `start` off Swift's cooperative pool: it blocks while it polls for the greeting, and the
    /// pool has only two threads on a 2-core machine.
    public static func startDetached(_ kind: InteropServerKind, users: [DovecotUser] = [.alice]) async throws -> InteropServer {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try start(kind, users: users) })
            }
        }
    }

    /// How long the start took from launch until the server greeted.
    public var startupTime: Duration { lock.withLock { lastStartup } }

    /// Stops the server (SIGTERM, then SIGKILL to the whole tree) and returns once the port
    /// refuses connections. Idempotent.
    public func stop() {
        guard let process = lock.withLock({ running.take() }) else { return }
        let pid = process.processIdentifier
        let children = ProcessTree.descendants(of: pid)
        if process.isRunning { Glibc.kill(pid, SIGTERM) }
        if !Self.poll(until: Self.stopTimeout, { !process.isRunning }) {
            ProcessTree.killAll(root: pid)
            _ = Self.poll(until: Self.stopTimeout, { !process.isRunning })
        }
        // Courier's authdaemond and Cyrus's imapd children must not keep the port or sockets.
        for child in children where Glibc.kill(child, 0) == 0 { Glibc.kill(child, SIGKILL) }
        LiveDovecots.shared.unregister(master: pid)
        _ = Self.poll(until: .seconds(5)) {
            if case .refused = GreetingProbe.check(port: port, expectGreeting: false, timeoutMilliseconds: 100) { return true }
            return false
        }
    }

    /// The last lines the script and server printed, for failure messages.
    public func outputTail(lines: Int = 40) -> String {
        guard let text = try? String(contentsOf: outputFile, encoding: .utf8) else { return "(no output)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    deinit {
        if let process = lock.withLock({ running.take() }) {
            ProcessTree.killAll(root: process.processIdentifier)
            LiveDovecots.shared.unregister(master: process.processIdentifier)
        }
        if !LiveDovecots.keepDirectories {
            try? FileManager.default.removeItem(at: directory)
            LiveDovecots.shared.unregister(directory: directory)
        }
    }

    // MARK: - Launching

    private static func checkInstalled(_ kind: InteropServerKind) throws {
        switch kind {
        case .cyrus, .courier:
            guard FileManager.default.isExecutableFile(atPath: kind.installedMarker) else {
                throw InteropServerError.notInstalled(kind, hint: kind.installHint)
            }
        case .pymap:
            break  // the script checks `import pymap` with the python3 it will run
        }
    }

    private var outputFile: URL { directory.appendingPathComponent("server.output") }

    private func launch() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        var arguments = [script, "start", directory.appendingPathComponent("state").path, String(port)]
        for user in users { arguments += ["--user", "\(user.name):\(user.password)"] }
        arguments += ["--watch-pid", String(getpid())]
        process.arguments = arguments
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
            throw InteropServerError.launchFailed("cannot create \(outputFile.path)")
        }
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice

        let started = ContinuousClock.now
        do {
            try SignalMask.withNothingBlocked { try process.run() }
        } catch {
            throw InteropServerError.launchFailed("\(error)")
        }
        lock.withLock { running = process }
        LiveDovecots.shared.register(master: process.processIdentifier)
        do {
            try waitUntilReady(process)
        } catch {
            stop()
            throw error
        }
        lock.withLock { lastStartup = ContinuousClock.now - started }
    }

    private func waitUntilReady(_ process: Process) throws {
        let deadline = ContinuousClock.now + kind.readyTimeout
        var detail = "not tried"
        while true {
            if !process.isRunning {
                if process.terminationStatus == 3 {
                    // The script's "not installed" exit.
                    throw InteropServerError.notInstalled(kind, hint: outputTail() + "\n" + kind.installHint)
                }
                throw InteropServerError.exited(kind, status: process.terminationStatus, output: outputTail())
            }
            switch GreetingProbe.check(port: port, expectGreeting: true, timeoutMilliseconds: 250) {
            case .greeted: return
            case .accepted: break
            case .refused(let why): detail = why
            }
            if ContinuousClock.now > deadline {
                throw InteropServerError.notReady(kind, port: port, seconds: Double(kind.readyTimeout.components.seconds),
                                                  detail: detail, output: outputTail())
            }
            usleep(20_000)
        }
    }

    static func poll(until timeout: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            usleep(10_000)
        }
        return true
    }

    /// Under /tmp, world-traversable: Cyrus and Courier drop to `nobody`, who must reach the state.
    private static func makeTemporaryDirectory(_ kind: InteropServerKind) throws -> URL {
        var template = Array("/tmp/imapgw-\(kind.rawValue)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard made else { throw InteropServerError.launchFailed("mkdtemp: \(String(cString: strerror(errno)))") }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(path, 0o755)
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}
