import Foundation
@testable import Gateway
import IMAP
import IMAPClient
import Logging
import Sockets
import TestSupport
import Testing

/// The background fill on its own (no watcher to resync after it), against Dovecot: another
/// client changes the folder at a fixed point during the fill (after its second chunk), in the
/// part already mirrored and in the part still to come; the mirror the fill hands over equals a
/// raw IMAP read, in each sync mode. What makes it so is the fill's closing delta sync from the
/// folder's state at its start.
@Suite("Folder mirror: changes during a background fill", .serialized)
struct MirrorFillInterleavingTests {
    @Test("the fill's closing sync brings flags, expunges and new mail from during the fill",
          arguments: [[], ["QRESYNC"], ["QRESYNC", "CONDSTORE"]] as [[String]])
    func closingSyncCatchesChanges(ignoring capabilities: [String]) async throws {
        let dovecot = try SharedDovecot.get()
        var configuration = GatewayConfiguration()
        configuration.imap = IMAPEndpoint(host: dovecot.host, port: dovecot.port, security: .none)
        configuration.imap.ignoredCapabilities = capabilities
        let server = IMAPConnectionSession.serverConfiguration(for: configuration)
        let user = DovecotUser.alice
        let writer = try await IMAPConnection.connect(IMAPServerConfiguration(host: dovecot.host, port: dovecot.port, tlsMode: .none),
                                                      logger: Logger(label: "test-imap"))
        try await writer.authenticate(.password(user: user.name, password: user.password))
        let folder = uniqueName("MirrorFillCut")
        try await MirrorBackgroundFillTests.seed(writer, folder, doublings: 8)
        let before = try await MirrorRouteTests.rawRows(writer, folder).keys.sorted()
        _ = try await writer.select(MailboxName(folder), readOnly: false)

        let base = try await IMAPConnectionSession.open(server, account: Account(user: user.name, password: user.password),
                                                        logger: Logger(label: "test-fill"))
        if await base.capabilities().contains(.qresync) { _ = try await base.enable([.qresync]) }
        let selected = try await base.select(MailboxName(folder), readOnly: true)
        let (top, bottom) = (UID(before[before.count - 2]), UID(before[1]))
        let session = InterleavingSession(base, afterFetch: 2) {
            _ = try await writer.uidStore(UIDSet([top, bottom]), .add([.flagged]), silent: true)
            let victims = UIDSet([UID(before[before.count - 1]), UID(before[0])])
            _ = try await writer.uidStore(victims, .add([.deleted]), silent: true)
            try await writer.uidExpunge(victims)
            _ = try await writer.append(to: MailboxName(folder), message: TestMessages.simple(subject: "during the fill"))
        }
        let mirrors = FolderMirrors(maxBytes: 64 << 20, inlineFillLimit: 300, fillChunkSize: 100)
        let key = MirrorKey(account: user.name, folder: folder)
        let state = try await mirrors.syncWatched(key, session: session, selected: selected)
        #expect(state != nil, "the fill completed")
        #expect(session.changed, "the other client's changes ran during the fill")
        #expect(mirrors.store.statistics.syncs[.fill] == 1)

        let raw = try await MirrorRouteTests.rawRows(writer, folder)
        #expect(raw.count == 1_023)
        let mirror = try #require(mirrors.peek(key) { $0 })
        var rows: MirrorRouteTests.Rows = [:]
        for message in mirror.messages { rows[message.uid.rawValue] = Set(message.flags) }
        let same = rows == raw
        #expect(same, "the mirror equals raw IMAP; flags differ on \(raw.keys.filter { rows[$0] != nil && rows[$0] != raw[$0] }.sorted()), missing \(Set(raw.keys).subtracting(rows.keys).sorted()), extra \(Set(rows.keys).subtracting(raw.keys).sorted())")
        #expect(mirror.messages.last?.summary.subject == "during the fill")
        await base.logout()
        await writer.logout()
    }

    /// `recreatedAfterLastChunk`: after the fill's last FETCH, so only its closing sync can tell.
    enum Interruption: String, CaseIterable, Sendable { case evicted, cancelled, recreated, recreatedAfterLastChunk }

    @Test("a fill evicted, cancelled or meeting a folder created anew stops and leaves no partial mirror",
          arguments: Interruption.allCases)
    func interruptedFillStopsCleanly(_ interruption: Interruption) async throws {
        let dovecot = try SharedDovecot.get()
        var configuration = GatewayConfiguration()
        configuration.imap = IMAPEndpoint(host: dovecot.host, port: dovecot.port, security: .none)
        let user = DovecotUser.alice
        let writer = try await IMAPConnection.connect(IMAPServerConfiguration(host: dovecot.host, port: dovecot.port, tlsMode: .none),
                                                      logger: Logger(label: "test-imap"))
        try await writer.authenticate(.password(user: user.name, password: user.password))
        let folder = uniqueName("MirrorFillStop")
        try await MirrorBackgroundFillTests.seed(writer, folder, doublings: 8)
        _ = try await writer.select(.inbox, readOnly: true)
        let base = try await IMAPConnectionSession.open(IMAPConnectionSession.serverConfiguration(for: configuration),
                                                        account: Account(user: user.name, password: user.password),
                                                        logger: Logger(label: "test-fill"))
        let selected = try await base.select(MailboxName(folder), readOnly: true)
        let mirrors = FolderMirrors(maxBytes: 64 << 20, inlineFillLimit: 300, fillChunkSize: 100)
        let key = MirrorKey(account: user.name, folder: folder)
        let running = Protected<Task<MirrorState?, any Error>?>(nil)
        // 1,024 messages in chunks of 100: eleven FETCHes.
        let session = InterleavingSession(base, afterFetch: interruption == .recreatedAfterLastChunk ? 11 : 2) {
            #expect(mirrors.store.read(key) { $0.isComplete } == false, "a part is filled")
            switch interruption {
            case .evicted: mirrors.drop(key)
            case .cancelled: running.withLock { $0?.cancel() }
            case .recreated, .recreatedAfterLastChunk:
                try await writer.delete(MailboxName(folder))
                try await writer.create(MailboxName(folder))
                _ = try await writer.append(to: MailboxName(folder), message: TestMessages.simple(subject: "anew"))
            }
        }
        let task = Task { try await mirrors.syncWatched(key, session: session, selected: selected) }
        running.withLock { $0 = task }
        let outcome = await task.result
        #expect(session.changed)
        switch (interruption, outcome) {
        case (.cancelled, .failure(let error)): #expect(error is CancellationError, "\(error)")
        case (.evicted, .success(let state)): #expect(state == nil)
        // Dovecot ends the session at the next FETCH of the deleted folder (its watcher then
        // reconnects and fills the new folder); a server that answered would show the new
        // UIDVALIDITY: either way the fill hands over no mirror.
        case (.recreated, .failure), (.recreatedAfterLastChunk, .failure): break
        case (.recreated, .success(let state)), (.recreatedAfterLastChunk, .success(let state)): #expect(state == nil)
        default: Issue.record("\(interruption): \(outcome)")
        }
        let left = mirrors.store.read(key) { $0 }
        #expect(left == nil || left?.uidValidity != selected.uidValidity,
                "nothing of the old folder is left: \(left.map { "\($0.messages.count) messages, complete \($0.isComplete)" } ?? "none")")
        #expect(mirrors.store.statistics.bytes == 0)
        await base.logout()
        await writer.logout()
    }
}

/// A session that runs `change` once, right after its `afterFetch`-th UID FETCH: another
/// client's changes at a fixed point of a sync. Everything else goes to `base` as it is.
final class InterleavingSession: MailSession {
    let base: any MailSession
    private let afterFetch: Int
    private let change: @Sendable () async throws -> Void
    private let fetches = Protected(0)
    private let ran = Protected(false)

    init(_ base: any MailSession, afterFetch: Int, change: @escaping @Sendable () async throws -> Void) {
        self.base = base
        self.afterFetch = afterFetch
        self.change = change
    }

    /// Whether `change` ran.
    var changed: Bool { ran.withLock { $0 } }

    func uidFetch(_ uids: UIDSet, _ items: [FetchItem]) async throws(IMAPError) -> [FetchResponse] {
        let answer = try await base.uidFetch(uids, items)
        if fetches.withLock({ $0 += 1; return $0 }) == afterFetch {
            do { try await change() } catch { throw .protocolViolation("the interleaved change failed: \(error)") }
            ran.withLock { $0 = true }
        }
        return answer
    }

    func capabilities() async -> [Capability] { await base.capabilities() }
    func enable(_ capabilities: [Capability]) async throws(IMAPError) -> Set<Capability> { try await base.enable(capabilities) }
    func listFolders(subscribedOnly: Bool, includeStatus: Bool) async throws(IMAPError) -> [MailboxListing] {
        try await base.listFolders(subscribedOnly: subscribedOnly, includeStatus: includeStatus)
    }
    func select(_ folder: MailboxName, readOnly: Bool) async throws(IMAPError) -> SelectedMailbox {
        try await base.select(folder, readOnly: readOnly)
    }
    func selectedFolder() async -> SelectedMailbox? { await base.selectedFolder() }
    func uidSearch(_ key: SearchKey) async throws(IMAPError) -> [UID] { try await base.uidSearch(key) }
    func uidFetchEach(_ uids: UIDSet, _ items: [FetchItem], _ body: (FetchResponse) async throws -> Void) async throws {
        try await base.uidFetchEach(uids, items, body)
    }
    func fetch(_ messages: SequenceNumberSet, _ items: [FetchItem]) async throws(IMAPError) -> [FetchResponse] {
        try await base.fetch(messages, items)
    }
    func noop() async throws(IMAPError) { try await base.noop() }
    func uidFetchChanges(_ uids: UIDSet, _ items: [FetchItem], changedSince: ModSequence, vanished: Bool) async throws(IMAPError) -> ResyncAnswer {
        try await base.uidFetchChanges(uids, items, changedSince: changedSince, vanished: vanished)
    }
    func enabledExtensions() async -> Set<Capability> { await base.enabledExtensions() }
    func idle(until deadline: ContinuousClock.Instant, onEvent: @escaping @Sendable (UntaggedResponse) -> Void) async throws(IMAPError) {
        try await base.idle(until: deadline, onEvent: onEvent)
    }
    func observeMailboxChanges(_ observer: @escaping @Sendable (UntaggedResponse) -> Void) { base.observeMailboxChanges(observer) }
    func isUsable() async -> Bool { await base.isUsable() }
    func logout() async { await base.logout() }
    func uidStore(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool) async throws(IMAPError) -> [UID: [Flag]] {
        try await base.uidStore(uids, operation, silent: silent)
    }
    func uidCopy(_ uids: UIDSet, to folder: MailboxName) async throws(IMAPError) -> CopyResult? { try await base.uidCopy(uids, to: folder) }
    func uidMove(_ uids: UIDSet, to folder: MailboxName) async throws(IMAPError) -> CopyResult? { try await base.uidMove(uids, to: folder) }
    func uidExpunge(_ uids: UIDSet) async throws(IMAPError) { try await base.uidExpunge(uids) }
    func append(to folder: MailboxName, flags: [Flag], date: String?, size: Int,
                body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> AppendResult? {
        try await base.append(to: folder, flags: flags, date: date, size: size, body: body)
    }
    func createFolder(_ folder: MailboxName) async throws(IMAPError) { try await base.createFolder(folder) }
    func deleteFolder(_ folder: MailboxName) async throws(IMAPError) { try await base.deleteFolder(folder) }
    func renameFolder(_ folder: MailboxName, to newName: MailboxName) async throws(IMAPError) {
        try await base.renameFolder(folder, to: newName)
    }
    func setSubscribed(_ folder: MailboxName, _ subscribed: Bool) async throws(IMAPError) { try await base.setSubscribed(folder, subscribed) }
}
