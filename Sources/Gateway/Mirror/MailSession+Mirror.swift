import IMAP
import IMAPClient

/// What the mirror's sync needs of a session beyond the routes' operations. Defaults keep other
/// sessions (the in-memory one of the tests) compiling: without them a session offers neither
/// extension, and the sync diffs flags (`SyncMode.plain`).
extension MailSession {
    public func uidFetchChanges(_ uids: UIDSet, _ items: [FetchItem], changedSince: ModSequence,
                                vanished: Bool) async throws(IMAPError) -> ResyncAnswer {
        throw .missingExtension(.condStore)
    }

    public func enabledExtensions() async -> Set<Capability> { [] }

    public func mailboxViewVersion() async -> MailboxViewVersion? { nil }

    public func status(_ folder: MailboxName) async throws(IMAPError) -> MailboxStatus? { nil }
}

extension IMAPConnectionSession {
    func uidFetchChanges(_ uids: UIDSet, _ items: [FetchItem], changedSince: ModSequence,
                         vanished: Bool) async throws(IMAPError) -> ResyncAnswer {
        try await Self.forward { try await connection.uidFetchChanges(uids, items, changedSince: changedSince, vanished: vanished) }
    }

    func enabledExtensions() async -> Set<Capability> { connection.enabledCapabilities }

    func mailboxViewVersion() async -> MailboxViewVersion? { connection.mailboxViewVersion }

    func status(_ folder: MailboxName) async throws(IMAPError) -> MailboxStatus? {
        try await Self.forward { try await connection.status(folder) }
    }
}
