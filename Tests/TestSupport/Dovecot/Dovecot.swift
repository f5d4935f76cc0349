import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real Dovecot (Debian dovecot-imapd) on free loopback ports with a throwaway config and
/// maildir in a temporary directory, for integration tests.
///
/// The configuration lives in `scripts/dovecot.sh` (shared with the demo); this class runs that
/// script, which execs `dovecot -F`, so Dovecot is a child of the test process. It is stopped by
/// `stop()`, by `deinit`, at process exit, and by the script's watchdog if the tests are killed.
public final class Dovecot: @unchecked Sendable {
    // @unchecked: the only mutable state (`running`, `deliveries`) sits behind `lock`;
    // everything else is immutable after init.

    /// Where Dovecot listens; always IPv4 loopback.
    public var host: String { "127.0.0.1" }
    /// The `imap` listener: plaintext, offering STARTTLS when started with `tls: true`.
    public let port: Int
    /// The `imaps` listener (implicit TLS), or nil when started with `tls: false`.
    public let tlsPort: Int?
    /// PEM file of the throwaway CA that signed the server certificate (SAN localhost, 127.0.0.1).
    public let caFile: String?
    /// The temporary directory holding config, certificates, maildirs and the log.
    public let directory: URL
    /// The accounts Dovecot accepts.
    public let users: [DovecotUser]
    /// Dovecot's log file (logins, auth failures, errors).
    public var logFile: URL { directory.appendingPathComponent("dovecot.log") }

    private let tls: Bool
    private let script: String
    /// Where the `passdb oauth2` asks about tokens, when started with one.
    private let oauth2IntrospectionURL: String?
    private let lock = NSLock()
    private var running: Process?
    private var lastStartup: Duration = .zero
    private var deliveries = 0
    /// The time prefix of seeded maildir file names: fixed, so names sort in delivery order.
    let deliveryStamp = Int(Date().timeIntervalSince1970)

    private static let binary = "/usr/sbin/dovecot"
    private static let readyTimeout: Duration = .seconds(30)
    private static let stopTimeout: Duration = .seconds(10)

    private init(port: Int, tlsPort: Int?, directory: URL, users: [DovecotUser], tls: Bool, script: String,
                 oauth2IntrospectionURL: String? = nil) {
        self.oauth2IntrospectionURL = oauth2IntrospectionURL
        self.port = port
        self.tlsPort = tlsPort
        self.directory = directory
        self.users = users
        self.tls = tls
        self.script = script
        self.caFile = tls ? directory.appendingPathComponent("tls/ca.pem").path : nil
        LiveDovecots.shared.register(directory: directory)
    }

    /// Starts Dovecot and returns once it greets on `port` (and accepts on `tlsPort`).
    /// - Parameter tls: false starts it with `ssl = no`: no STARTTLS capability, no `tlsPort`.
    /// - Parameter oauth2IntrospectionURL: also accept OAuth 2.0 access tokens (AUTH=XOAUTH2,
    ///   AUTH=OAUTHBEARER) checked at this RFC 7662 endpoint (`TokenIntrospectionServer`).
    /// - Throws: `DovecotError` saying why (not installed, config rejected, log tail, timeout).
    public static func start(users: [DovecotUser] = [.alice, .bob], tls: Bool = true,
                             oauth2IntrospectionURL: String? = nil) throws -> Dovecot {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw DovecotError.notInstalled(binary: binary) }
        guard let root = RepositoryRoot.find() else { throw DovecotError.scriptMissing(path: "<no Package.swift above \(#filePath)>") }
        let script = root.appendingPathComponent("scripts/dovecot.sh").path
        guard FileManager.default.fileExists(atPath: script) else { throw DovecotError.scriptMissing(path: script) }

        // Another process may grab a port between picking and binding it; pick again then.
        var attempt = 0
        while true {
            attempt += 1
            let ports = try FreePort.pick(count: tls ? 2 : 1)
            let dovecot = Dovecot(
                port: ports[0], tlsPort: tls ? ports[1] : nil, directory: try makeTemporaryDirectory(),
                users: users, tls: tls, script: script, oauth2IntrospectionURL: oauth2IntrospectionURL)
            do {
                try dovecot.launch()
                return dovecot
            } catch let error as DovecotError where attempt < 3 && error.isAddressInUse {
                continue
            }
        }
    }

    /// How long the last start or restart took from launch until Dovecot greeted.
    public var startupTime: Duration { lock.withLock { lastStartup } }

    /// Whether the Dovecot master process is alive.
    public var isRunning: Bool { lock.withLock { running?.isRunning ?? false } }

    /// Stops Dovecot gracefully (SIGTERM to the master, which ends its children) and returns once
    /// the process is gone and the port refuses connections. Idempotent.
    public func stop() {
        guard let process = lock.withLock({ running.take() }) else { return }
        let pid = process.processIdentifier
        let children = ProcessTree.descendants(of: pid)
        if process.isRunning { Glibc.kill(pid, SIGTERM) }
        if !Self.poll(until: Self.stopTimeout, { !process.isRunning }) {
            ProcessTree.killAll(root: pid)
            _ = Self.poll(until: Self.stopTimeout, { !process.isRunning })
        }
        // Anything the master left behind (it should not) must not keep the listeners open.
        for child in children where Glibc.kill(child, 0) == 0 { Glibc.kill(child, SIGKILL) }
        LiveDovecots.shared.unregister(master: pid)
        waitUntilPortsClose()
    }

    /// Starts Dovecot again on the same ports with the same mail and certificates.
    public func restart() throws {
        stop()
        try launch()
    }

    /// SIGKILLs the master and all its children at once, as if the server vanished. Returns once
    /// the port refuses connections. `restart()` brings it back.
    public func kill() {
        guard let process = lock.withLock({ running.take() }) else { return }
        let pid = process.processIdentifier
        ProcessTree.killAll(root: pid)
        _ = Self.poll(until: Self.stopTimeout, { !process.isRunning })
        LiveDovecots.shared.unregister(master: pid)
        waitUntilPortsClose()
    }

    /// The last `lines` lines of Dovecot's log, for failure messages.
    public func logTail(lines: Int = 40) -> String {
        Self.tail(of: logFile, lines: lines)
    }

    deinit {
        // Nothing of a discarded instance is worth a graceful shutdown, which takes Dovecot a
        // second or more; deinit may run on the two-thread cooperative pool.
        kill()
        if !LiveDovecots.keepDirectories {
            try? FileManager.default.removeItem(at: directory)
            LiveDovecots.shared.unregister(directory: directory)
        }
    }

    // MARK: - Launching

    private func launch() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        var arguments = [script, "start", directory.path, String(port), String(tlsPort ?? 0)]
        if !tls { arguments.append("--no-tls") }
        for user in users { arguments += ["--user", "\(user.name):\(user.password)"] }
        arguments += ["--watch-pid", String(getpid())]
        if let oauth2IntrospectionURL { arguments += ["--oauth2-introspection", oauth2IntrospectionURL] }
        process.arguments = arguments

        let output = outputFile
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw DovecotError.launchFailed("cannot create \(output.path)")
        }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice

        let started = ContinuousClock.now
        do {
            try SignalMask.withNothingBlocked { try process.run() }
        } catch {
            throw DovecotError.launchFailed("\(error)")
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

    private var outputFile: URL { directory.appendingPathComponent("dovecot.output") }

    private func waitUntilReady(_ process: Process) throws {
        let deadline = ContinuousClock.now + Self.readyTimeout
        var detail = "not tried"
        while true {
            if !process.isRunning {
                throw DovecotError.exited(
                    status: process.terminationStatus,
                    output: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
                    log: logTail())
            }
            switch GreetingProbe.check(port: port, expectGreeting: true, timeoutMilliseconds: 250) {
            case .greeted:
                guard let tlsPort else { return }
                if case .accepted = GreetingProbe.check(port: tlsPort, expectGreeting: false, timeoutMilliseconds: 250) { return }
                detail = "imap port greets, imaps port \(tlsPort) not accepting yet"
            case .accepted:
                break
            case .refused(let why):
                detail = why
            }
            if ContinuousClock.now > deadline {
                throw DovecotError.notReady(
                    port: port, seconds: Double(Self.readyTimeout.components.seconds), detail: detail, log: logTail())
            }
            usleep(10_000)
        }
    }

    private func waitUntilPortsClose() {
        for listener in [port] + (tlsPort.map { [$0] } ?? []) {
            _ = Self.poll(until: .seconds(5)) {
                if case .refused = GreetingProbe.check(port: listener, expectGreeting: false, timeoutMilliseconds: 100) { return true }
                return false
            }
        }
    }

    // MARK: - Helpers

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

    /// On tmpfs (/dev/shm) when there is one: creating 100,000 maildir files there takes a second
    /// instead of tens of seconds on a busy disk. Short, because Dovecot's unix sockets live below
    /// it and socket paths are limited to 108 bytes. DOVECOT_TMPDIR overrides the parent.
    private static func makeTemporaryDirectory() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        var isDirectory: ObjCBool = false
        let parent = environment["DOVECOT_TMPDIR"]
            ?? (FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
                && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp")
        var template = Array("\(parent)/imapgw-dovecot-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard made else { throw DovecotError.launchFailed("mkdtemp: \(String(cString: strerror(errno)))") }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    func nextDeliverySequence(count: Int) -> Int {
        lock.withLock {
            defer { deliveries += count }
            return deliveries
        }
    }
}

extension DovecotError {
    var isAddressInUse: Bool {
        switch self {
        case .exited(_, let output, let log): return (output + log).contains("Address already in use")
        default: return false
        }
    }
}
