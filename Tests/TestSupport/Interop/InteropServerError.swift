import Foundation

/// Why an interop server could not be started; every case says what to do.
public enum InteropServerError: Error, CustomStringConvertible, Sendable {
    /// The server's packages are not installed or unpacked.
    case notInstalled(InteropServerKind, hint: String)
    /// The start script was not found next to this source file.
    case scriptMissing(path: String)
    /// The script or the server exited before greeting.
    case exited(InteropServerKind, status: Int32, output: String)
    /// The server kept running but did not greet before the deadline.
    case notReady(InteropServerKind, port: Int, seconds: Double, detail: String, output: String)
    /// The process could not be launched at all.
    case launchFailed(String)

    public var description: String {
        switch self {
        case .notInstalled(let kind, let hint):
            return "\(kind) is not installed: \(hint)"
        case .scriptMissing(let path):
            return "interop start script missing at \(path)"
        case .exited(let kind, let status, let output):
            return "\(kind) exited with status \(status) before greeting.\n--- output ---\n\(output)"
        case .notReady(let kind, let port, let seconds, let detail, let output):
            return "\(kind) did not greet on 127.0.0.1:\(port) within \(seconds)s (\(detail)).\n--- output ---\n\(output)"
        case .launchFailed(let why):
            return "could not launch an interop server: \(why)"
        }
    }

    var isAddressInUse: Bool {
        switch self {
        case .exited(_, _, let output), .notReady(_, _, _, _, let output):
            return output.contains("Address already in use") || output.contains("address already in use")
        default:
            return false
        }
    }
}
