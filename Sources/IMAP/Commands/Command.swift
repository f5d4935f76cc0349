/// A client command (RFC 3501, RFC 9051 and the extensions this gateway uses), with every user
/// value kept as data. `CommandEncoder` turns it into bytes; only it decides how a value is
/// written (atom, quoted string or literal), so no value can change the command's syntax.
///
/// There is deliberately no bare `EXPUNGE`: it would also remove messages other clients flagged
/// `\Deleted`. Use `uidExpunge` (UIDPLUS).
public enum Command: Sendable, CustomStringConvertible {
    case capability
    /// `LOGIN user password`; never logged (see `EncodedCommand.logText`).
    case login(user: String, password: String)
    /// `AUTHENTICATE mechanism [initial-response]`; the initial response (SASL-IR) is base64-encoded
    /// by the encoder, an empty one is sent as `=`.
    case authenticate(mechanism: String, initialResponse: [UInt8]?)
    case enable([Capability])
    case namespace
    /// `LIST reference pattern [RETURN (...)]`; `pattern` may hold the wildcards `*` and `%`.
    case list(
        reference: MailboxName, pattern: MailboxName, returnSpecialUse: Bool = false,
        returnStatus: [StatusAttribute] = [], returnSubscribed: Bool = false
    )
    case lsub(reference: MailboxName, pattern: MailboxName)
    case status(MailboxName, [StatusAttribute])
    /// `SELECT mailbox [(CONDSTORE)]`
    case select(MailboxName, condStore: Bool = false)
    /// `EXAMINE mailbox [(CONDSTORE)]`
    case examine(MailboxName, condStore: Bool = false)
    /// `SELECT` (or `EXAMINE` when `readOnly`) `mailbox (QRESYNC (uidvalidity modseq [known-uids]))`
    /// (RFC 7162 §3.2.5); the session must have ENABLEd QRESYNC first.
    case selectQResync(MailboxName, readOnly: Bool, QResyncParameters)
    /// `UID SEARCH [RETURN (...)] [CHARSET c] key`. `returning` nil sends a plain SEARCH; with
    /// ESEARCH offered pass `[.all]`. Without a charset the encoder adds `CHARSET UTF-8` when any
    /// string in the key is not ASCII.
    case uidSearch(SearchKey, charset: String? = nil, returning: [SearchReturnOption]? = nil)
    /// `FETCH set (items)`: by message sequence number. Sequence numbers shift with every expunge,
    /// so this is for reading a window of the selected mailbox by position (the newest 50),
    /// never for naming particular messages; use `uidFetch` for that.
    case fetch(SequenceNumberSet, [FetchItem])
    /// `UID FETCH set (items) [(CHANGEDSINCE n)]`
    case uidFetch(UIDSet, [FetchItem], changedSince: ModSequence? = nil)
    /// `UID FETCH set (items) (CHANGEDSINCE n VANISHED)` (RFC 7162 §3.2.6): also reports, as
    /// `VANISHED (EARLIER)`, the UIDs of `set` expunged since `n`. Needs QRESYNC enabled.
    case uidFetchVanished(UIDSet, [FetchItem], changedSince: ModSequence)
    /// `UID STORE set [(UNCHANGEDSINCE n)] +FLAGS[.SILENT] (flags)`
    case uidStore(UIDSet, StoreOperation, silent: Bool = false, unchangedSince: ModSequence? = nil)
    case uidCopy(UIDSet, MailboxName)
    case uidMove(UIDSet, MailboxName)
    /// `UID EXPUNGE set` (RFC 4315): removes only these UIDs.
    case uidExpunge(UIDSet)
    /// `APPEND mailbox [(flags)] ["date-time"] {size}`: the message itself (`size` octets) is sent by
    /// the caller at `CommandPart.messageData`. `date` is an IMAP date-time
    /// (`"17-Jul-1996 02:44:25 -0700"`, without the quotes). `binary` sends a literal8 (`~{n}`,
    /// RFC 3516) so the message may contain NUL; it needs the BINARY capability.
    case append(MailboxName, flags: [Flag] = [], date: String? = nil, size: Int, binary: Bool = false)
    case create(MailboxName)
    case delete(MailboxName)
    case rename(from: MailboxName, to: MailboxName)
    case subscribe(MailboxName)
    case unsubscribe(MailboxName)
    case noop
    case idle
    /// Ends IDLE; has no tag.
    case done
    case logout
    case startTLS
    /// `ID NIL` or `ID ("name" "value" ...)` (RFC 2971).
    case id([(key: String, value: String?)]?)
    case close
    case unselect

    /// Only the name: a command can carry a password, and descriptions end up in logs.
    public var description: String { name }

    /// The command's name as it appears on the wire (`UID FETCH`), for logs and errors.
    public var name: String {
        switch self {
        case .capability: return "CAPABILITY"
        case .login: return "LOGIN"
        case .authenticate: return "AUTHENTICATE"
        case .enable: return "ENABLE"
        case .namespace: return "NAMESPACE"
        case .list: return "LIST"
        case .lsub: return "LSUB"
        case .status: return "STATUS"
        case .select: return "SELECT"
        case .examine: return "EXAMINE"
        case .selectQResync(_, let readOnly, _): return readOnly ? "EXAMINE" : "SELECT"
        case .uidSearch: return "UID SEARCH"
        case .fetch: return "FETCH"
        case .uidFetch, .uidFetchVanished: return "UID FETCH"
        case .uidStore: return "UID STORE"
        case .uidCopy: return "UID COPY"
        case .uidMove: return "UID MOVE"
        case .uidExpunge: return "UID EXPUNGE"
        case .append: return "APPEND"
        case .create: return "CREATE"
        case .delete: return "DELETE"
        case .rename: return "RENAME"
        case .subscribe: return "SUBSCRIBE"
        case .unsubscribe: return "UNSUBSCRIBE"
        case .noop: return "NOOP"
        case .idle: return "IDLE"
        case .done: return "DONE"
        case .logout: return "LOGOUT"
        case .startTLS: return "STARTTLS"
        case .id: return "ID"
        case .close: return "CLOSE"
        case .unselect: return "UNSELECT"
        }
    }
}
