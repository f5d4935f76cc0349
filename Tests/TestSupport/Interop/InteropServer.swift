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
public final class InteropServer: Sendable {

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

    private let process: ServerProcess

    /// Where scripts/install-deps.sh unpacks the Debian packages (INTEROP_ROOT overrides).
    public static var installRoot: String {
        ProcessInfo.processInfo.environment["INTEROP_ROOT"] ?? "/opt/imap-gateway-interop"
    }

    private init(kind: InteropServerKind, port: Int, directory: URL, users: [DovecotUser], script: String) {
        self.kind = kind
        self.port = port
        self.directory = directory
        self.users = users
        process = ServerProcess(script: script, outputFile: directory.appendingPathComponent("server.output"), ports: [port])
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
    public var startupTime: Duration { process.startupTime }

    /// Stops the server (SIGTERM, then SIGKILL to the whole tree) and returns once the port
    /// refuses connections. Idempotent.
    public func stop() { process.stop() }

    /// The last lines the script and server printed, for failure messages.
    public func outputTail(lines: Int = 40) -> String { process.outputTail(lines: lines) }

    deinit {
        process.kill()
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

    private func launch() throws {
        var arguments = ["start", directory.appendingPathComponent("state").path, String(port)]
        for user in users { arguments += ["--user", "\(user.name):\(user.password)"] }
        arguments += ["--watch-pid", String(getpid())]
        do {
            try process.launch(arguments: arguments, timeout: kind.readyTimeout) {
                switch GreetingProbe.check(port: port, expectGreeting: true, timeoutMilliseconds: 250) {
                case .greeted: return .ready
                case .accepted: return .waiting("accepting, no greeting yet")
                case .refused(let why): return .waiting(why)
                }
            }
        } catch {
            switch error {
            case .cannotStart(let why): throw InteropServerError.launchFailed(why)
            // The script's "not installed" exit.
            case .exited(status: 3): throw InteropServerError.notInstalled(kind, hint: outputTail() + "\n" + kind.installHint)
            case .exited(let status): throw InteropServerError.exited(kind, status: status, output: outputTail())
            case .notReady(let detail):
                throw InteropServerError.notReady(kind, port: port, seconds: Double(kind.readyTimeout.components.seconds),
                                                  detail: detail, output: outputTail())
            }
        }
    }

    /// Under /tmp, world-traversable: Cyrus and Courier drop to `nobody`, who must reach the state.
    private static func makeTemporaryDirectory(_ kind: InteropServerKind) throws -> URL {
        do {
            let directory = try ServerProcess.makeTemporaryDirectory(parent: "/tmp", name: kind.rawValue)
            chmod(directory.path, 0o755)
            return directory
        } catch {
            throw InteropServerError.launchFailed("\(error)")
        }
    }
}
