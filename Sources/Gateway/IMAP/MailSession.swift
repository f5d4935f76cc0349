import IMAP
import IMAPClient

/// The IMAP operations the gateway uses, on one logged-in session: the one seam between the
/// routes (event streams included) and IMAP.
///
/// Everything above speaks to this rather than to `IMAPConnection`: one adapter
/// (`IMAPConnectionSession`) forwards to the client, and tests drive routes and the pool with an
/// in-memory session. It speaks the client's own types (`SelectedMailbox`, `MailboxListing`,
/// `FetchItem`, `StoreOperation`, `IMAPError`): a second set of gateway-side copies would only
/// have to be kept in step. Every command is counted in the metrics where it is sent
/// (`IMAPServerConfiguration.commandObserver`), so a new operation is one requirement here and
/// one method in the adapter.
public protocol MailSession: AnyObject, Sendable {
    /// The capabilities after login.
    func capabilities() async -> [Capability]
    /// ENABLE; the extensions the server turned on.
    func enable(_ capabilities: [Capability]) async throws(IMAPError) -> Set<Capability>
    /// LIST (and STATUS for each folder when `includeStatus`). `subscribed` is always set: a
    /// server that cannot tell reports it from LSUB for `subscribedOnly`, false otherwise.
    func listFolders(subscribedOnly: Bool, includeStatus: Bool) async throws(IMAPError) -> [MailboxListing]
    /// SELECT (`readOnly == false`) or EXAMINE. A folder that cannot be opened is a NO with
    /// `[NONEXISTENT]`; an answer without UIDVALIDITY is a protocol violation (UIDs would mean
    /// nothing), so `uidValidity` is never nil in the state this returns.
    func select(_ folder: MailboxName, readOnly: Bool) async throws(IMAPError) -> SelectedMailbox
    /// The selected folder's state as the session last heard it (EXISTS updates included).
    func selectedFolder() async -> SelectedMailbox?
    func uidSearch(_ key: SearchKey) async throws(IMAPError) -> [UID]
    func uidFetch(_ uids: UIDSet, _ items: [FetchItem]) async throws(IMAPError) -> [FetchResponse]
    /// UID FETCH handing each response to `body` as it arrives (nothing is collected); errors
    /// thrown by `body` end the command and are rethrown as they are.
    func uidFetchEach(_ uids: UIDSet, _ items: [FetchItem], _ body: (FetchResponse) async throws -> Void) async throws
    /// FETCH by message sequence number in the selected folder (UID always included): a window by
    /// position, such as the newest 50, at the cost of the window rather than the folder. Each
    /// response carries its sequence number; afterwards `selectedFolder()` holds the EXISTS count
    /// the server reported during the command. Numbers past the end are refused (use `*`).
    func fetch(_ messages: SequenceNumberSet, _ items: [FetchItem]) async throws(IMAPError) -> [FetchResponse]
    /// NOOP.
    func noop() async throws(IMAPError)
    /// STATUS of one folder (HIGHESTMODSEQ among its items where CONDSTORE is offered); nil when
    /// the session cannot tell (the default).
    func status(_ folder: MailboxName) async throws(IMAPError) -> MailboxStatus?
    /// `UID FETCH uids (items) (CHANGEDSINCE m [VANISHED])` in the selected folder: the messages
    /// changed since `m` and, with `vanished` (QRESYNC enabled), those expunged since. The folder
    /// mirror's revalidation (Mirror/MailSession+Mirror.swift has a default that throws
    /// `missingExtension`).
    func uidFetchChanges(_ uids: UIDSet, _ items: [FetchItem], changedSince: ModSequence, vanished: Bool) async throws(IMAPError) -> ResyncAnswer
    /// What ENABLE turned on in this session (the default: nothing).
    func enabledExtensions() async -> Set<Capability>
    /// The version of the session's view of its selected folder (`MailboxViewVersion`): equal
    /// values mean the session heard of no change and made none in between. nil when the session
    /// cannot tell (the default), and then nothing is concluded from it.
    func mailboxViewVersion() async -> MailboxViewVersion?
    /// IDLE until `deadline` or until the calling task is cancelled (then DONE is sent and its OK
    /// awaited, so the session stays usable). `onEvent` sees every untagged response meanwhile.
    func idle(until deadline: ContinuousClock.Instant, onEvent: @escaping @Sendable (UntaggedResponse) -> Void) async throws(IMAPError)
    /// Calls `observer` with every EXISTS, EXPUNGE, VANISHED, FETCH and BYE, whichever command
    /// it came with.
    func observeMailboxChanges(_ observer: @escaping @Sendable (UntaggedResponse) -> Void)
    /// False once the server said BYE or the socket failed.
    func isUsable() async -> Bool
    /// How many write commands (the operations below) were begun on this session: the same
    /// count before and after a failure means nothing was written. nil when the session cannot
    /// tell (the default in MailSession+Revalidate.swift).
    func writesStarted() async -> Int?
    /// LOGOUT (best effort), then close.
    func logout() async

    // Writes. None of these is ever retried by the pool.

    /// UID STORE; the flags the server reported afterwards, per UID (empty when `silent`).
    func uidStore(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool) async throws(IMAPError) -> [UID: [Flag]]
    /// `uidStore`, each UID's flags with the MODSEQ the server reported with them (nil where it
    /// did not: CONDSTORE not enabled, or a session that cannot tell, the default below).
    func uidStoreReporting(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool) async throws(IMAPError) -> [UID: StoredFlags]
    /// UID COPY; the COPYUID mapping when the server reports one.
    func uidCopy(_ uids: UIDSet, to folder: MailboxName) async throws(IMAPError) -> CopyResult?
    /// UID MOVE, or COPY then `\Deleted` and UID EXPUNGE of these UIDs only, after the copy succeeded.
    func uidMove(_ uids: UIDSet, to folder: MailboxName) async throws(IMAPError) -> CopyResult?
    /// UID EXPUNGE of exactly these UIDs (never a bare EXPUNGE); `missingExtension` without UIDPLUS.
    func uidExpunge(_ uids: UIDSet) async throws(IMAPError)
    /// APPEND streaming `size` octets from `body`; answers after the tagged OK. An error thrown
    /// by `body` (the HTTP client went away) is rethrown as it is.
    func append(to folder: MailboxName, flags: [Flag], date: String?, size: Int,
                body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> AppendResult?
    func createFolder(_ folder: MailboxName) async throws(IMAPError)
    func deleteFolder(_ folder: MailboxName) async throws(IMAPError)
    func renameFolder(_ folder: MailboxName, to newName: MailboxName) async throws(IMAPError)
    /// SUBSCRIBE (`true`) or UNSUBSCRIBE.
    func setSubscribed(_ folder: MailboxName, _ subscribed: Bool) async throws(IMAPError)
}

extension SelectedMailbox {
    /// UIDVALIDITY of a folder the gateway selected. `MailSession.select` refuses an answer
    /// without one, so this throws only for a state that did not come from it.
    public func requireUIDValidity() throws(IMAPError) -> UIDValidity {
        guard let uidValidity else { throw .protocolViolation("the server reported no UIDVALIDITY for \(name.displayName)") }
        return uidValidity
    }
}

extension IMAPError {
    /// Whether the session is gone and a fresh one might succeed (an idempotent read is retried once).
    public var isConnectionLoss: Bool {
        switch self {
        case .connection, .bye, .disconnected: true
        default: false
        }
    }
}

extension MailSession {
    public func uidStoreReporting(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool) async throws(IMAPError) -> [UID: StoredFlags] {
        try await uidStore(uids, operation, silent: silent).mapValues { StoredFlags(flags: $0) }
    }
}
