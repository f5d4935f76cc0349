import Gateway
import IMAP
import IMAPClient
import TestSupport

/// The operations of `MailSession`, for counting calls and aiming failures.
public enum FakeOperation: String, Sendable, CaseIterable {
    case login, capabilities, enable, listFolders, select, uidSearch, uidFetch, uidFetchEach, fetch, noop, idle, logout
    case uidStore, uidCopy, uidMove, uidExpunge, append, createFolder, deleteFolder, renameFolder, setSubscribed
}

/// An in-memory IMAP account store for route-logic tests that need no server: folders with
/// messages (UID, flags, envelope, raw bytes), UIDVALIDITY and UIDNEXT, the capabilities the
/// "server" offers, failures to inject, and a count of every operation. Every session opened by
/// `opener` works on this one store, as sessions of one account share a real server's mailboxes.
public final class FakeMailStore: Sendable {
    struct State {
        var folders: [FakeFolder] = []
        var capabilities: [Capability]
        var users: Set<String>
        var calls: [FakeOperation: Int] = [:]
        var failures: [(operation: FakeOperation?, failure: IMAPError)] = []
        var sessionsOpened = 0
    }

    let state: LockedValue<State>

    /// A store for `users` (any password is accepted: `Account` keeps its password to itself)
    /// with the capabilities Dovecot offers by default.
    public init(users: Set<String> = ["alice", "bob"],
                capabilities: [Capability] = [.imap4rev1, .uidPlus, .move, .idle, .enable, .condStore, .qresync,
                                              .specialUse, .listStatus, .esearch, .literalPlus, .namespace]) {
        state = LockedValue(State(capabilities: capabilities, users: users))
    }

    /// Opens sessions on this store: hand it to the gateway in place of real IMAP.
    public var opener: SessionOpener {
        { [self] account throws(IMAPError) in
            try take(.login)
            guard state.withLock({ $0.users.contains(account.user) }) else {
                throw IMAPError.authenticationFailed(ResponseText(code: .authenticationFailed, text: "Authentication failed."))
            }
            state.withLock { $0.sessionsOpened += 1 }
            return InMemoryMailSession(store: self)
        }
    }

    // MARK: - Setting up

    /// Adds (or replaces) a folder holding `messages` (raw RFC 5322 bytes) with UIDs 1, 2, ...
    @discardableResult
    public func addFolder(_ name: String, uidValidity: UIDValidity = 1, messages: [[UInt8]] = [],
                          flags: [Flag] = [], attributes: [String] = []) -> FakeFolder {
        let messages = messages.enumerated().map { FakeMessage(uid: UID(UInt32($0.offset + 1)), raw: $0.element, flags: flags) }
        return addFolder(FakeFolder(name: MailboxName(name), uidValidity: uidValidity, messages: messages, attributes: attributes))
    }

    /// Adds (or replaces) `folder` as given.
    @discardableResult
    public func addFolder(_ folder: FakeFolder) -> FakeFolder {
        state.withLock { state in
            state.folders.removeAll { Self.same($0.name, folder.name) }
            state.folders.append(folder)
        }
        return folder
    }

    /// The folder named `name` now, if it exists.
    public func folder(_ name: String) -> FakeFolder? {
        state.withLock { $0.folders.first { Self.same($0.name, MailboxName(name)) } }
    }

    /// Changes the capabilities sessions report from now on.
    public func setCapabilities(_ capabilities: [Capability]) { state.withLock { $0.capabilities = capabilities } }

    // MARK: - Failures and counts

    /// Makes the next call of `operation` (of any operation when nil) throw `failure` instead of
    /// running. A connection loss also leaves that session unusable, as a real one would be.
    public func failNext(_ failure: IMAPError, on operation: FakeOperation? = nil) {
        state.withLock { $0.failures.append((operation, failure)) }
    }

    /// How often `operation` ran (or was attempted) so far.
    public func calls(_ operation: FakeOperation) -> Int { state.withLock { $0.calls[operation] ?? 0 } }

    /// Every operation's count so far.
    public var allCalls: [FakeOperation: Int] { state.withLock { $0.calls } }

    /// How many sessions `opener` logged in.
    public var sessionsOpened: Int { state.withLock { $0.sessionsOpened } }

    /// Counts `operation` and throws the failure aimed at it, if any.
    func take(_ operation: FakeOperation) throws(IMAPError) {
        let failure: IMAPError? = state.withLock { state in
            state.calls[operation, default: 0] += 1
            guard let index = state.failures.firstIndex(where: { $0.operation == nil || $0.operation == operation }) else { return nil }
            return state.failures.remove(at: index).failure
        }
        if let failure { throw failure }
    }

    /// Folder names compare by their UTF-8 name; INBOX in any case is INBOX.
    static func same(_ a: MailboxName, _ b: MailboxName) -> Bool {
        a.isInbox && b.isInbox || a.displayName == b.displayName
    }
}
