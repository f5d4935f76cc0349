import Foundation

/// Why the throwaway Dovecot could not be started or seeded; every case says what to do.
public enum DovecotError: Error, CustomStringConvertible, Sendable {
    /// `/usr/sbin/dovecot` is missing.
    case notInstalled(binary: String)
    /// `scripts/dovecot.sh` was not found next to this source file.
    case scriptMissing(path: String)
    /// The start script or Dovecot exited before accepting connections.
    case exited(status: Int32, output: String, log: String)
    /// Dovecot kept running but did not greet on its port before the deadline.
    case notReady(port: Int, seconds: Double, detail: String, log: String)
    /// The process could not be launched at all.
    case launchFailed(String)
    /// Writing seed messages into the maildir failed.
    case deliveryFailed(path: String, call: String, errno: Int32)

    public var description: String {
        switch self {
        case .notInstalled(let binary):
            return "Dovecot not found at \(binary): install dovecot-imapd (apt-get install -y dovecot-imapd, or run scripts/test.sh)"
        case .scriptMissing(let path):
            return "Dovecot start script missing at \(path)"
        case .exited(let status, let output, let log):
            return "Dovecot exited with status \(status) before accepting connections.\n--- output of scripts/dovecot.sh / dovecot -F ---\n\(output)\n--- dovecot.log (tail) ---\n\(log)"
        case .notReady(let port, let seconds, let detail, let log):
            return "Dovecot did not greet on 127.0.0.1:\(port) within \(seconds)s (\(detail)).\n--- dovecot.log (tail) ---\n\(log)"
        case .launchFailed(let why):
            return "could not launch scripts/dovecot.sh: \(why)"
        case .deliveryFailed(let path, let call, let errno):
            return "seeding maildir failed: \(call)(\(path)): \(String(cString: strerror(errno)))"
        }
    }
}
