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
    // @unchecked: the only mutable state here (`deliveries`) sits behind `lock` (the process
    // state is `ServerProcess`'s, behind its own lock);
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
    /// Where the `passdb oauth2` asks about tokens, when started with one.
    private let oauth2IntrospectionURL: String?
    private let process: ServerProcess
    private let lock = NSLock()
    private var deliveries = 0
    /// The time prefix of seeded maildir file names: fixed, so names sort in delivery order.
    let deliveryStamp = Int(Date().timeIntervalSince1970)

    private static let binary = "/usr/sbin/dovecot"
    private static let readyTimeout: Duration = .seconds(30)

    private init(port: Int, tlsPort: Int?, directory: URL, users: [DovecotUser], tls: Bool, script: String,
                 oauth2IntrospectionURL: String? = nil) {
        self.oauth2IntrospectionURL = oauth2IntrospectionURL
        self.port = port
        self.tlsPort = tlsPort
        self.directory = directory
        self.users = users
        self.tls = tls
        self.process = ServerProcess(script: script, outputFile: directory.appendingPathComponent("dovecot.output"),
                                     ports: [port] + (tlsPort.map { [$0] } ?? []))
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
    public var startupTime: Duration { process.startupTime }

    /// Whether the Dovecot master process is alive.
    public var isRunning: Bool { process.isRunning }

    /// Stops Dovecot gracefully (SIGTERM to the master, which ends its children) and returns once
    /// the process is gone and the port refuses connections. Idempotent.
    public func stop() { process.stop() }

    /// Starts Dovecot again on the same ports with the same mail and certificates.
    public func restart() throws {
        stop()
        try launch()
    }

    /// SIGKILLs the master and all its children at once, as if the server vanished. Returns once
    /// the port refuses connections. `restart()` brings it back.
    public func kill() { process.kill() }

    /// The last `lines` lines of Dovecot's log, for failure messages.
    public func logTail(lines: Int = 40) -> String {
        ServerProcess.tail(of: logFile, lines: lines)
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
        var arguments = ["start", directory.path, String(port), String(tlsPort ?? 0)]
        if !tls { arguments.append("--no-tls") }
        for user in users { arguments += ["--user", "\(user.name):\(user.password)"] }
        arguments += ["--watch-pid", String(getpid())]
        if let oauth2IntrospectionURL { arguments += ["--oauth2-introspection", oauth2IntrospectionURL] }
        do {
            try process.launch(arguments: arguments, timeout: Self.readyTimeout) {
                switch GreetingProbe.check(port: port, expectGreeting: true, timeoutMilliseconds: 250) {
                case .greeted:
                    guard let tlsPort else { return .ready }
                    if case .accepted = GreetingProbe.check(port: tlsPort, expectGreeting: false, timeoutMilliseconds: 250) { return .ready }
                    return .waiting("imap port greets, imaps port \(tlsPort) not accepting yet")
                case .accepted: return .waiting("accepting, no greeting yet")
                case .refused(let why): return .waiting(why)
                }
            }
        } catch {
            switch error {
            case .cannotStart(let why): throw DovecotError.launchFailed(why)
            case .exited(let status): throw DovecotError.exited(status: status, output: process.outputTail(lines: 200), log: logTail())
            case .notReady(let detail):
                throw DovecotError.notReady(port: port, seconds: Double(Self.readyTimeout.components.seconds), detail: detail, log: logTail())
            }
        }
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
        do {
            return try ServerProcess.makeTemporaryDirectory(parent: parent, name: "dovecot")
        } catch {
            throw DovecotError.launchFailed("\(error)")
        }
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
