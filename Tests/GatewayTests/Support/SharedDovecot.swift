import Foundation
import TestSupport

/// One Dovecot for the whole test process (tests that stop their server start their own).
enum SharedDovecot {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: Dovecot?
    // nonisolated(unsafe): `instance` is only read and written with `lock` held.

    static func get() throws -> Dovecot {
        lock.lock()
        defer { lock.unlock() }
        if let instance { return instance }
        let started = try Dovecot.start()
        instance = started
        return started
    }
}

/// A name no other test uses, so tests sharing a Dovecot never see each other's folders.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8))"
}
