import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every Dovecot master this process started and every temporary directory it made, so that
/// process exit can end and remove them: suites often keep a Dovecot in a `static let`, whose
/// deinit never runs.
final class LiveDovecots: @unchecked Sendable {
    // @unchecked: `masters` and `directories` are only touched with `lock` held.
    static let shared = LiveDovecots()

    private let lock = NSLock()
    private var masters: Set<pid_t> = []
    private var directories: Set<URL> = []

    private init() {
        atexit { LiveDovecots.shared.endAll() }
    }

    func register(master: pid_t) { _ = lock.withLock { masters.insert(master) } }
    func unregister(master: pid_t) { _ = lock.withLock { masters.remove(master) } }
    func register(directory: URL) { _ = lock.withLock { directories.insert(directory) } }
    func unregister(directory: URL) { _ = lock.withLock { directories.remove(directory) } }

    /// Set KEEP_DOVECOT=1 to keep the directories (config, log, maildirs) for a post-mortem.
    static var keepDirectories: Bool { ProcessInfo.processInfo.environment["KEEP_DOVECOT"] != nil }

    /// At exit there is no time for a graceful shutdown and nothing left to lose: kill, clean up.
    private func endAll() {
        let (pids, paths) = lock.withLock { (masters, directories) }
        for pid in pids { ProcessTree.killAll(root: pid) }
        guard !Self.keepDirectories else { return }
        for path in paths { try? FileManager.default.removeItem(at: path) }
    }
}
