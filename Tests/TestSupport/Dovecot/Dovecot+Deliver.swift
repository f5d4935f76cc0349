import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Dovecot {
    /// The maildir directory (with cur/new/tmp) of `folder` for `user`, as Dovecot stores it:
    /// LAYOUT=fs, "/" nests directories, names in modified UTF-7, INBOX is the user's root.
    public func maildir(user: String, folder: String = "INBOX") -> URL {
        let root = directory.appendingPathComponent("mail").appendingPathComponent(user, isDirectory: true)
        if folder.uppercased() == "INBOX" { return root }
        return root.appendingPathComponent(ModifiedUTF7.encode(folder), isDirectory: true)
    }

    /// Seeds messages by writing maildir files directly (tmp/, then rename into cur/), far faster
    /// than APPEND: 100,000 small messages take seconds. Works while Dovecot runs; it picks the
    /// files up at the next SELECT/STATUS. The directory is on tmpfs when possible, which is what
    /// makes this fast. UIDs follow the order of `messages`, across calls.
    /// - Parameters:
    ///   - folder: UTF-8 name with "/" as hierarchy delimiter; created if missing.
    ///   - flags: system flags set on every message of this call.
    ///   - internalDate: INTERNALDATE of the messages (the file mtime); now if nil.
    public func deliver(
        user: String, folder: String = "INBOX", messages: [[UInt8]],
        flags: MessageFlags = [], internalDate: Date? = nil
    ) throws {
        let owner = try MaildirOwner.dovecot()
        let mailbox = maildir(user: user, folder: folder)
        try createDirectories(mailbox, owner: owner)
        let first = nextDeliverySequence(count: messages.count)
        let times = internalDate.map { date -> [timespec] in
            let seconds = date.timeIntervalSince1970.rounded(.down)
            let spec = timespec(tv_sec: Int(seconds), tv_nsec: Int((date.timeIntervalSince1970 - seconds) * 1e9))
            return [spec, spec]
        }
        let target = MaildirTarget(
            tmp: mailbox.appendingPathComponent("tmp").path, cur: mailbox.appendingPathComponent("cur").path,
            stamp: deliveryStamp, suffix: ":2," + flags.maildirLetters, owner: owner, times: times)
        // File creation is all kernel time; two writers keep both cores busy on big seeds.
        let chunks = messages.count >= 2_000 ? 2 : 1
        let chunkSize = (messages.count + chunks - 1) / max(chunks, 1)
        let failure = FirstFailure()
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (chunk * chunkSize)..<min(messages.count, (chunk + 1) * chunkSize)
            do {
                for index in range { try target.write(messages[index], sequence: first + index) }
            } catch {
                failure.record(error)
            }
        }
        if let error = failure.error { throw error }
    }

    /// mkdir -p below the mail root, every new level owned by Dovecot, plus cur/new/tmp.
    private func createDirectories(_ mailbox: URL, owner: MaildirOwner) throws {
        let mailRoot = directory.appendingPathComponent("mail").path
        var path = mailRoot
        var levels: [String] = []
        for component in mailbox.path.dropFirst(mailRoot.count).split(separator: "/") {
            path += "/" + component
            levels.append(path)
        }
        for path in levels + ["cur", "new", "tmp"].map({ "\(path)/\($0)" }) {
            if mkdir(path, 0o700) == 0 {
                guard chown(path, owner.uid, owner.gid) == 0 else {
                    throw DovecotError.deliveryFailed(path: path, call: "chown", errno: errno)
                }
            } else if errno != EEXIST {
                throw DovecotError.deliveryFailed(path: path, call: "mkdir", errno: errno)
            }
        }
    }
}

/// The uid/gid Dovecot's mail processes run as (userdb static uid=dovecot gid=dovecot).
struct MaildirOwner: Sendable {
    let uid: uid_t
    let gid: gid_t

    static func dovecot() throws -> MaildirOwner {
        guard let entry = getpwnam("dovecot") else {
            throw DovecotError.notInstalled(binary: "/usr/sbin/dovecot (user 'dovecot' missing)")
        }
        return MaildirOwner(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }
}

/// One mailbox's cur/ and tmp/ and how to name and own the files written there.
private struct MaildirTarget: Sendable {
    let tmp: String
    let cur: String
    let stamp: Int
    let suffix: String
    let owner: MaildirOwner
    let times: [timespec]?

    /// Writes into tmp/, then renames into cur/, so Dovecot never sees a half-written file.
    func write(_ message: [UInt8], sequence: Int) throws {
        // Same timestamp, zero-padded sequence: Dovecot assigns UIDs to new files in name order.
        let base = String(format: "%d.M%09dP%d.imapgw", stamp, sequence, Int(getpid()))
        let name = "\(base),S=\(message.count)\(suffix)"
        let temporary = "\(tmp)/\(name)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DovecotError.deliveryFailed(path: temporary, call: "open", errno: errno) }
        do {
            defer { close(fd) }
            try message.withUnsafeBytes { bytes in
                var written = 0
                while written < bytes.count {
                    let count = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { throw DovecotError.deliveryFailed(path: temporary, call: "write", errno: errno) }
                    written += count
                }
            }
            guard fchown(fd, owner.uid, owner.gid) == 0 else {
                throw DovecotError.deliveryFailed(path: temporary, call: "fchown", errno: errno)
            }
            if var times, futimens(fd, &times) != 0 {
                throw DovecotError.deliveryFailed(path: temporary, call: "futimens", errno: errno)
            }
        }
        guard rename(temporary, "\(cur)/\(name)") == 0 else {
            throw DovecotError.deliveryFailed(path: "\(cur)/\(name)", call: "rename", errno: errno)
        }
    }
}

/// The first error any writer hit.
private final class FirstFailure: @unchecked Sendable {
    // @unchecked: `stored` is only touched with `lock` held.
    private let lock = NSLock()
    private var stored: Error?

    func record(_ error: Error) { lock.withLock { if stored == nil { stored = error } } }
    var error: Error? { lock.withLock { stored } }
}
