import IMAP

/// A `MailSession` that counts each operation in `imap_commands_total` under the IMAP command
/// it sends, then forwards it. Wrapping the session (rather than instrumenting the adapter)
/// keeps metrics out of the IMAP code and counts every session the pool hands out.
///
/// One operation is one count: a folder listing with status is one LIST, a move without the
/// MOVE extension is one UID MOVE.
final class MeteredMailSession: MailSession {
    private let base: any MailSession
    private let metrics: GatewayMetrics

    init(_ base: any MailSession, metrics: GatewayMetrics) {
        self.base = base
        self.metrics = metrics
    }

    /// Opens a session with `open` and counts its LOGIN. A server that could not be reached
    /// saw no LOGIN, so nothing is counted then.
    static func open(_ metrics: GatewayMetrics, _ open: () async throws(MailFailure) -> any MailSession) async throws(MailFailure) -> any MailSession {
        do {
            let session = try await open()
            metrics.imapCommand(.login, .ok)
            return MeteredMailSession(session, metrics: metrics)
        } catch {
            if case .unreachable = error {} else { metrics.imapCommand(.login, IMAPCommandResult(error)) }
            throw error
        }
    }

    /// Runs one operation and counts it with its outcome.
    private func record<Result>(_ command: IMAPCommandName, _ body: () async throws(MailFailure) -> Result) async throws(MailFailure) -> Result {
        do {
            let result = try await body()
            metrics.imapCommand(command, .ok)
            return result
        } catch {
            metrics.imapCommand(command, IMAPCommandResult(error))
            throw error
        }
    }

    func capabilities() async -> [Capability] { await base.capabilities() }

    func listFolders(subscribedOnly: Bool, includeStatus: Bool) async throws(MailFailure) -> [FolderListing] {
        try await record(.list) { () async throws(MailFailure) in
            try await base.listFolders(subscribedOnly: subscribedOnly, includeStatus: includeStatus)
        }
    }

    func select(_ folder: MailboxName, readOnly: Bool) async throws(MailFailure) -> FolderState {
        try await record(readOnly ? .examine : .select) { () async throws(MailFailure) in
            try await base.select(folder, readOnly: readOnly)
        }
    }

    func selectedFolder() async -> FolderState? { await base.selectedFolder() }

    func uidSearch(_ key: SearchKey) async throws(MailFailure) -> [UID] {
        try await record(.uidSearch) { () async throws(MailFailure) in try await base.uidSearch(key) }
    }

    func uidFetch(_ uids: UIDSet, _ fields: [FetchField]) async throws(MailFailure) -> [FetchResponse] {
        try await record(.uidFetch) { () async throws(MailFailure) in try await base.uidFetch(uids, fields) }
    }

    func fetch(_ messages: SequenceNumberSet, _ fields: [FetchField]) async throws(MailFailure) -> [FetchResponse] {
        try await record(.fetch) { () async throws(MailFailure) in try await base.fetch(messages, fields) }
    }

    func noop() async throws(MailFailure) {
        try await record(.noop) { () async throws(MailFailure) in try await base.noop() }
    }

    func isUsable() async -> Bool { await base.isUsable() }

    func logout() async { await base.logout() }

    func uidStore(_ uids: UIDSet, _ change: FlagChange, silent: Bool) async throws(MailFailure) -> [UID: [Flag]] {
        try await record(.uidStore) { () async throws(MailFailure) in try await base.uidStore(uids, change, silent: silent) }
    }

    func uidCopy(_ uids: UIDSet, to folder: MailboxName) async throws(MailFailure) -> CopyMapping? {
        try await record(.uidCopy) { () async throws(MailFailure) in try await base.uidCopy(uids, to: folder) }
    }

    func uidMove(_ uids: UIDSet, to folder: MailboxName) async throws(MailFailure) -> CopyMapping? {
        try await record(.uidMove) { () async throws(MailFailure) in try await base.uidMove(uids, to: folder) }
    }

    func uidExpunge(_ uids: UIDSet) async throws(MailFailure) {
        try await record(.uidExpunge) { () async throws(MailFailure) in try await base.uidExpunge(uids) }
    }

    func append(to folder: MailboxName, flags: [Flag], date: String?, size: Int,
                body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws(MailFailure) -> AppendedMessage? {
        try await record(.append) { () async throws(MailFailure) in
            try await base.append(to: folder, flags: flags, date: date, size: size, body: body)
        }
    }

    func createFolder(_ folder: MailboxName) async throws(MailFailure) {
        try await record(.create) { () async throws(MailFailure) in try await base.createFolder(folder) }
    }

    func deleteFolder(_ folder: MailboxName) async throws(MailFailure) {
        try await record(.delete) { () async throws(MailFailure) in try await base.deleteFolder(folder) }
    }

    func renameFolder(_ folder: MailboxName, to newName: MailboxName) async throws(MailFailure) {
        try await record(.rename) { () async throws(MailFailure) in try await base.renameFolder(folder, to: newName) }
    }

    func setSubscribed(_ folder: MailboxName, _ subscribed: Bool) async throws(MailFailure) {
        try await record(subscribed ? .subscribe : .unsubscribe) { () async throws(MailFailure) in
            try await base.setSubscribed(folder, subscribed)
        }
    }
}
