import IMAP

/// The IMAP operations the routes use, on one logged-in session.
///
/// The routes and the pool speak to this rather than to `IMAPConnection` directly: one adapter
/// (`IMAPConnectionSession`) maps the client's API and its errors (to `MailFailure`), and tests
/// can drive the pool without a server.
public protocol MailSession: AnyObject, Sendable {
    /// The capabilities after login.
    func capabilities() async -> [Capability]
    /// LIST (and STATUS for each folder when `includeStatus`).
    func listFolders(subscribedOnly: Bool, includeStatus: Bool) async throws(MailFailure) -> [FolderListing]
    /// SELECT (`readOnly == false`) or EXAMINE.
    func select(_ folder: MailboxName, readOnly: Bool) async throws(MailFailure) -> FolderState
    /// The selected folder's state as the session last heard it (EXISTS updates included).
    func selectedFolder() async -> FolderState?
    func uidSearch(_ key: SearchKey) async throws(MailFailure) -> [UID]
    func uidFetch(_ uids: UIDSet, _ fields: [FetchField]) async throws(MailFailure) -> [FetchResponse]
    /// FETCH by message sequence number in the selected folder (UID always included): a window by
    /// position, such as the newest 50, at the cost of the window rather than the folder. Each
    /// response carries its sequence number; afterwards `selectedFolder()` holds the EXISTS count
    /// the server reported during the command. Numbers past the end are refused (use `*`).
    func fetch(_ messages: SequenceNumberSet, _ fields: [FetchField]) async throws(MailFailure) -> [FetchResponse]
    /// NOOP.
    func noop() async throws(MailFailure)
    /// False once the server said BYE or the socket failed.
    func isUsable() async -> Bool
    /// LOGOUT (best effort), then close.
    func logout() async

    // Writes. None of these is ever retried by the pool.

    /// UID STORE; the flags the server reported afterwards, per UID (empty when `silent`).
    func uidStore(_ uids: UIDSet, _ change: FlagChange, silent: Bool) async throws(MailFailure) -> [UID: [Flag]]
    /// UID COPY; the COPYUID mapping when the server reports one.
    func uidCopy(_ uids: UIDSet, to folder: MailboxName) async throws(MailFailure) -> CopyMapping?
    /// UID MOVE, or COPY then `\Deleted` and UID EXPUNGE of these UIDs only, after the copy succeeded.
    func uidMove(_ uids: UIDSet, to folder: MailboxName) async throws(MailFailure) -> CopyMapping?
    /// UID EXPUNGE of exactly these UIDs (never a bare EXPUNGE); `missingExtension` without UIDPLUS.
    func uidExpunge(_ uids: UIDSet) async throws(MailFailure)
    /// APPEND streaming `size` octets from `body`; answers after the tagged OK.
    func append(to folder: MailboxName, flags: [Flag], date: String?, size: Int,
                body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws(MailFailure) -> AppendedMessage?
    func createFolder(_ folder: MailboxName) async throws(MailFailure)
    func deleteFolder(_ folder: MailboxName) async throws(MailFailure)
    func renameFolder(_ folder: MailboxName, to newName: MailboxName) async throws(MailFailure)
    /// SUBSCRIBE (`true`) or UNSUBSCRIBE.
    func setSubscribed(_ folder: MailboxName, _ subscribed: Bool) async throws(MailFailure)
}

/// A flag change as UID STORE applies it.
public enum FlagChange: Hashable, Sendable {
    case add([Flag])
    case remove([Flag])
    case replace([Flag])
}

/// Where copied or moved messages landed (COPYUID).
public struct CopyMapping: Hashable, Sendable {
    public var uidValidity: UIDValidity
    public var destinations: [UID: UID]
    public init(uidValidity: UIDValidity, destinations: [UID: UID]) {
        self.uidValidity = uidValidity
        self.destinations = destinations
    }
}

/// The UID an APPEND was given (APPENDUID).
public struct AppendedMessage: Hashable, Sendable {
    public var uidValidity: UIDValidity
    public var uid: UID
    public init(uidValidity: UIDValidity, uid: UID) {
        self.uidValidity = uidValidity
        self.uid = uid
    }
}

/// One FETCH data item the gateway asks for.
public enum FetchField: Hashable, Sendable {
    case uid, flags, envelope, bodyStructure, size, internalDate
    /// `BODY.PEEK[section]<offset.length>`; `section` "" is the whole message.
    case bodyPeek(section: String, partial: Range<Int>?)
}

/// One folder as LIST reports it.
public struct FolderListing: Hashable, Sendable {
    public var name: MailboxName
    public var delimiter: Character?
    /// As sent, e.g. `\HasNoChildren`, `\Sent`.
    public var attributes: [String]
    public var subscribed: Bool
    public var status: MailboxStatus?

    public init(name: MailboxName, delimiter: Character?, attributes: [String], subscribed: Bool, status: MailboxStatus?) {
        self.name = name
        self.delimiter = delimiter
        self.attributes = attributes
        self.subscribed = subscribed
        self.status = status
    }
}

/// What SELECT/EXAMINE reported about a folder.
public struct FolderState: Hashable, Sendable {
    public var name: MailboxName
    public var exists: Int
    public var recent: Int
    public var uidNext: UID?
    public var uidValidity: UIDValidity
    public var flags: [Flag]
    public var permanentFlags: [Flag]
    public var readOnly: Bool
    public var highestModSeq: ModSequence?

    public init(name: MailboxName, exists: Int, recent: Int, uidNext: UID?, uidValidity: UIDValidity,
                flags: [Flag], permanentFlags: [Flag], readOnly: Bool, highestModSeq: ModSequence?) {
        self.name = name
        self.exists = exists
        self.recent = recent
        self.uidNext = uidNext
        self.uidValidity = uidValidity
        self.flags = flags
        self.permanentFlags = permanentFlags
        self.readOnly = readOnly
        self.highestModSeq = highestModSeq
    }
}

/// How an IMAP operation failed, in the terms the error mapping needs.
public enum MailFailure: Error, Sendable, CustomStringConvertible {
    /// The server could not be reached (refused, DNS, TLS handshake): 502.
    case unreachable(String)
    /// The session ended under us (BYE, socket closed): 502, and an idempotent read is retried once.
    case connectionLost(String)
    /// A command got no answer in time: 504.
    case timedOut(String)
    /// LOGIN/AUTHENTICATE was refused: 401.
    case authenticationFailed(String)
    /// A tagged NO; the code decides the status (NONEXISTENT → 404 ...).
    case rejected(command: String, code: ResponseCode?, text: String)
    /// A tagged BAD: the server did not understand us: 502.
    case badCommand(command: String, text: String)
    /// The server lacks an extension the operation needs: 422.
    case missingExtension(String)
    /// The server answered something unparseable: 502.
    case protocolViolation(String)
    /// A value from the request cannot be sent to IMAP at all (a NUL in a name): 400.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .unreachable(let text): "IMAP server unreachable: \(text)"
        case .connectionLost(let text): "IMAP connection lost: \(text)"
        case .timedOut(let text): "IMAP command timed out: \(text)"
        case .authenticationFailed(let text): "IMAP login failed: \(text)"
        case .rejected(let command, _, let text): "IMAP \(command) failed: NO \(text)"
        case .badCommand(let command, let text): "IMAP \(command) failed: BAD \(text)"
        case .missingExtension(let name): "The IMAP server lacks the \(name) extension"
        case .protocolViolation(let text): "The IMAP server answered garbage: \(text)"
        case .invalidArgument(let text): "Cannot be sent to the IMAP server: \(text)"
        }
    }

    /// Whether the session is gone and a fresh one might succeed.
    public var isConnectionLoss: Bool {
        if case .connectionLost = self { return true }
        return false
    }
}
