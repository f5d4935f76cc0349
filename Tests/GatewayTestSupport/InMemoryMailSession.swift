import Gateway
import IMAP
import IMAPClient
import TestSupport

/// A `MailSession` on a `FakeMailStore`: the operations work on the store's folders the way an
/// IMAP server would carry them out, closely enough for the routes' logic (errors, paging, ETags,
/// batches) to be tested in milliseconds. What it does not model: other sessions' changes arriving
/// as untagged responses (every session sees the store as it is now; IDLE reports nothing),
/// MODSEQ, and search keys beyond the common ones (see `FakeSearch`); an unmodelled key is a BAD.
public final class InMemoryMailSession: MailSession {
    struct Selection {
        var name: MailboxName
        var readOnly: Bool
    }

    let store: FakeMailStore
    private let selection = LockedValue<Selection?>(nil)
    private let usable = LockedValue(true)
    private let enabled = LockedValue<Set<Capability>>([])

    /// The folder selected now, if any.
    var selectedName: MailboxName? { selection.withLock { $0?.name } }

    init(store: FakeMailStore) { self.store = store }

    /// Counts the call and throws an injected failure; a lost connection stays lost.
    func begin(_ operation: FakeOperation) throws(IMAPError) {
        guard usable.withLock({ $0 }) else { throw IMAPError.disconnected }
        do {
            try store.take(operation)
        } catch {
            if error.isConnectionLoss { usable.withLock { $0 = false } }
            throw error
        }
    }

    /// A tagged NO with `code`, as the server would answer.
    static func no(_ command: String, _ code: ResponseCode?, _ text: String) -> IMAPError {
        .no(command: command, ResponseText(code: code, text: text))
    }

    /// A tagged BAD.
    static func bad(_ command: String, _ text: String) -> IMAPError {
        .bad(command: command, ResponseText(text: text))
    }

    /// Runs `body` on the selected folder (a BAD without one, as a server answers).
    func withSelected<T>(_ command: String, _ body: (inout FakeFolder, _ readOnly: Bool) throws(IMAPError) -> T) throws(IMAPError) -> T {
        guard let selected = selection.withLock({ $0 }) else { throw Self.bad(command, "No mailbox selected.") }
        return try store.state.withLock { (state) throws(IMAPError) -> T in
            guard let index = state.folders.firstIndex(where: { FakeMailStore.same($0.name, selected.name) }) else {
                // Deleted under us: a real server would have said BYE or NO.
                throw Self.no(command, .nonExistent, "Mailbox doesn't exist: \(selected.name)")
            }
            return try body(&state.folders[index], selected.readOnly)
        }
    }

    static func state(of folder: FakeFolder, readOnly: Bool) -> SelectedMailbox {
        SelectedMailbox(name: folder.name, exists: folder.messages.count, recent: 0, uidNext: folder.uidNext,
                        uidValidity: folder.uidValidity, flags: [.answered, .flagged, .deleted, .seen, .draft],
                        permanentFlags: readOnly ? [] : [.answered, .flagged, .deleted, .seen, .draft, .wildcard],
                        readOnly: readOnly)
    }

    // MARK: - MailSession: session and reads

    public func capabilities() async -> [Capability] {
        _ = try? begin(.capabilities)
        return store.state.withLock { $0.capabilities }
    }

    public func enable(_ capabilities: [Capability]) async throws(IMAPError) -> Set<Capability> {
        try begin(.enable)
        let offered = Set(store.state.withLock { $0.capabilities })
        let turnedOn = Set(capabilities).intersection(offered)
        enabled.withLock { $0.formUnion(turnedOn) }
        return turnedOn
    }

    public func listFolders(subscribedOnly: Bool, includeStatus: Bool) async throws(IMAPError) -> [MailboxListing] {
        try begin(.listFolders)
        return store.state.withLock { state in
            state.folders.filter { !subscribedOnly || $0.subscribed }.map { folder in
                var attributes = folder.attributes
                if folder.subscribed { attributes.append("\\Subscribed") }
                let unseen = folder.messages.filter { !$0.flags.contains(.seen) }.count
                return MailboxListing(
                    name: folder.name, delimiter: "/", attributes: attributes,
                    specialUse: folder.name.isInbox ? .inbox : SpecialUse(attributes: folder.attributes),
                    subscribed: folder.subscribed,
                    status: includeStatus ? MailboxStatus(messages: folder.messages.count, recent: 0, uidNext: folder.uidNext,
                                                          uidValidity: folder.uidValidity, unseen: unseen) : nil)
            }
        }
    }

    public func select(_ folder: MailboxName, readOnly: Bool) async throws(IMAPError) -> SelectedMailbox {
        try begin(.select)
        selection.withLock { $0 = nil }
        guard let found = store.state.withLock({ $0.folders.first { FakeMailStore.same($0.name, folder) } }) else {
            throw Self.no(readOnly ? "EXAMINE" : "SELECT", .nonExistent, "Mailbox doesn't exist: \(folder)")
        }
        selection.withLock { $0 = Selection(name: found.name, readOnly: readOnly) }
        return Self.state(of: found, readOnly: readOnly)
    }

    public func selectedFolder() async -> SelectedMailbox? {
        guard let selected = selection.withLock({ $0 }) else { return nil }
        return store.state.withLock { state in
            state.folders.first { FakeMailStore.same($0.name, selected.name) }.map { Self.state(of: $0, readOnly: selected.readOnly) }
        }
    }

    public func uidSearch(_ key: SearchKey) async throws(IMAPError) -> [UID] {
        try begin(.uidSearch)
        return try withSelected("UID SEARCH") { (folder, _) throws(IMAPError) in
            var matches: [UID] = []
            for (index, message) in folder.messages.enumerated()
            where try FakeSearch.matches(key, message, sequence: index + 1, in: folder) {
                matches.append(message.uid)
            }
            return matches
        }
    }

    public func uidFetch(_ uids: UIDSet, _ items: [FetchItem]) async throws(IMAPError) -> [FetchResponse] {
        try begin(.uidFetch)
        return try responses(uids, items)
    }

    public func uidFetchEach(_ uids: UIDSet, _ items: [FetchItem], _ body: (FetchResponse) async throws -> Void) async throws {
        try begin(.uidFetchEach)
        for response in try responses(uids, items) { try await body(response) }
    }

    public func fetch(_ messages: SequenceNumberSet, _ items: [FetchItem]) async throws(IMAPError) -> [FetchResponse] {
        try begin(.fetch)
        return try withSelected("FETCH") { (folder, _) throws(IMAPError) in
            let exists = UInt32(folder.messages.count)
            // A number past the end is a BAD from Dovecot ("Invalid messageset").
            if messages.ranges.contains(where: { $0.lower.rawValue > exists || ($0.upper?.rawValue ?? 0) > exists }) {
                throw Self.bad("FETCH", "Error in IMAP command FETCH: Invalid messageset")
            }
            var responses: [FetchResponse] = []
            for (index, message) in folder.messages.enumerated() where FakeSearch.contains(messages, UInt32(index + 1), largest: exists) {
                responses.append(try FakeFetch.response(message, sequence: index + 1, items: items))
            }
            return responses
        }
    }

    /// The UID FETCH answer for `uids` in the selected folder.
    private func responses(_ uids: UIDSet, _ items: [FetchItem]) throws(IMAPError) -> [FetchResponse] {
        try withSelected("UID FETCH") { (folder, _) throws(IMAPError) in
            let largest = folder.messages.last?.uid.rawValue ?? 0
            var responses: [FetchResponse] = []
            for (index, message) in folder.messages.enumerated() where FakeSearch.contains(uids, message.uid.rawValue, largest: largest) {
                responses.append(try FakeFetch.response(message, sequence: index + 1, items: items))
            }
            return responses
        }
    }

    public func noop() async throws(IMAPError) { try begin(.noop) }

    /// Waits until `deadline` or cancellation; the store announces no changes, so no events.
    public func idle(until deadline: ContinuousClock.Instant, onEvent: @escaping @Sendable (UntaggedResponse) -> Void) async throws(IMAPError) {
        try begin(.idle)
        try? await Task.sleep(until: deadline)
    }

    /// Kept for the record only: the store reports no changes as untagged responses.
    public func observeMailboxChanges(_ observer: @escaping @Sendable (UntaggedResponse) -> Void) {}

    public func isUsable() async -> Bool { usable.withLock { $0 } }

    public func logout() async {
        _ = try? store.take(.logout)
        usable.withLock { $0 = false }
    }
}
