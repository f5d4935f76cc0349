import IMAP
import IMAPClient

/// The write operations of `MailSession` on an `IMAPConnection`.
extension IMAPConnectionSession {
    /// Counts a write before it is sent (`writesStarted`).
    private func noteWrite() {
        writeCount.withLock { $0 += 1 }
    }

    func uidStore(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool) async throws(IMAPError) -> [UID: [Flag]] {
        noteWrite()
        return try await Self.forward { try await connection.uidStore(uids, operation, silent: silent) }
    }

    func uidStoreReporting(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool) async throws(IMAPError) -> [UID: StoredFlags] {
        noteWrite()
        return try await Self.forward { try await connection.uidStoreReporting(uids, operation, silent: silent) }
    }

    func uidCopy(_ uids: UIDSet, to folder: MailboxName) async throws(IMAPError) -> CopyResult? {
        noteWrite()
        return try await Self.forward { try await connection.uidCopy(uids, to: folder) }
    }

    func uidMove(_ uids: UIDSet, to folder: MailboxName) async throws(IMAPError) -> CopyResult? {
        noteWrite()
        return try await Self.forward { try await connection.uidMove(uids, to: folder) }
    }

    func uidExpunge(_ uids: UIDSet) async throws(IMAPError) {
        noteWrite()
        try await Self.forward { try await connection.uidExpunge(uids) }
    }

    func append(to folder: MailboxName, flags: [Flag], date: String?, size: Int,
                body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> AppendResult? {
        noteWrite()
        // Untyped: an error of the body (the HTTP client stopped sending) must reach the route as
        // it is, not as an IMAP failure.
        return try await connection.append(to: folder, flags: flags, date: date, size: size, body: body)
    }

    func createFolder(_ folder: MailboxName) async throws(IMAPError) {
        noteWrite()
        try await Self.forward { try await connection.create(folder) }
    }

    func deleteFolder(_ folder: MailboxName) async throws(IMAPError) {
        noteWrite()
        try await Self.forward { try await connection.delete(folder) }
    }

    func renameFolder(_ folder: MailboxName, to newName: MailboxName) async throws(IMAPError) {
        noteWrite()
        try await Self.forward { try await connection.rename(folder, to: newName) }
    }

    func setSubscribed(_ folder: MailboxName, _ subscribed: Bool) async throws(IMAPError) {
        noteWrite()
        try await Self.forward {
            if subscribed { try await connection.subscribe(folder) } else { try await connection.unsubscribe(folder) }
        }
    }
}
