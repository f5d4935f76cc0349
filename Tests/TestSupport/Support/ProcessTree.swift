import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Signals a process and everything it spawned, found through /proc (Linux).
enum ProcessTree {
    /// SIGKILLs `root` and all its descendants. The root is stopped first so it cannot spawn
    /// new children (or respawn killed ones) while we collect them.
    static func killAll(root: pid_t) {
        guard root > 0 else { return }
        Glibc.kill(root, SIGSTOP)
        for pid in descendants(of: root) { Glibc.kill(pid, SIGKILL) }
        Glibc.kill(root, SIGKILL)
    }

    static func descendants(of root: pid_t) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), let parent = parentPID(of: pid) else { continue }
            children[parent, default: []].append(pid)
        }
        var result: [pid_t] = []
        var queue = [root]
        while let next = queue.popLast() {
            for child in children[next] ?? [] {
                result.append(child)
                queue.append(child)
            }
        }
        return result
    }

    /// Field 4 of /proc/PID/stat; the command name (field 2) may contain spaces, so parse after ")".
    private static func parentPID(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }
}
