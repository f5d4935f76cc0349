/// Status of a tagged or untagged condition response.
public enum ResponseStatus: String, Hashable, Sendable {
    case ok = "OK", no = "NO", bad = "BAD", preauth = "PREAUTH", bye = "BYE"
}

/// One complete server response, as framed and parsed by `ResponseParser`.
public enum Response: Hashable, Sendable {
    /// `A1 OK [READ-WRITE] done`
    case tagged(TaggedResponse)
    /// `* ...`
    case untagged(UntaggedResponse)
    /// `+ text` or `+ base64` (the text as sent, without `+ `).
    case continuation(String)
}

/// The completion of a command.
public struct TaggedResponse: Hashable, Sendable {
    public var tag: String
    public var status: ResponseStatus
    public var text: ResponseText
    public init(tag: String, status: ResponseStatus, text: ResponseText) {
        self.tag = tag; self.status = status; self.text = text
    }
}

/// Data or status the server sends with `*`.
public enum UntaggedResponse: Hashable, Sendable {
    /// `* OK/NO/BAD/PREAUTH/BYE [code] text`
    case condition(ResponseStatus, ResponseText)
    case capability([Capability])
    case enabled([Capability])
    case list(ListResponse)
    case status(mailbox: MailboxName, MailboxStatus)
    case flags([Flag])
    case exists(Int)
    case recent(Int)
    case expunge(SequenceNumber)
    /// RFC 7162 `VANISHED [(EARLIER)] uid-set`.
    case vanished(earlier: Bool, uids: UIDSet)
    case fetch(FetchResponse)
    /// `* SEARCH 2 5 9 [(MODSEQ n)]`: numbers are UIDs or sequence numbers depending on the command.
    case search([UInt32], modSeq: ModSequence?)
    case esearch(ESearchResponse)
    case namespace(NamespaceResponse)
    /// `* ID (...)` or anything else well-framed that we do not model: the raw line, kept.
    case other(name: String, raw: [UInt8])
}

/// Which command produced a mailbox listing line.
public enum ListKind: String, Hashable, Sendable { case list = "LIST", lsub = "LSUB", xlist = "XLIST" }

/// One `* LIST (\HasNoChildren \Sent) "/" "Sent"` line.
public struct ListResponse: Hashable, Sendable {
    public var kind: ListKind
    /// Attributes as sent, e.g. `\HasNoChildren`, `\Sent`, `\Noselect`.
    public var attributes: [String]
    /// nil when the server sent NIL (a flat namespace).
    public var delimiter: Character?
    public var mailbox: MailboxName
    /// LIST-EXTENDED extra data such as `("CHILDINFO" ("SUBSCRIBED"))`, raw.
    public var extended: [String: String]

    public init(kind: ListKind = .list, attributes: [String], delimiter: Character?, mailbox: MailboxName, extended: [String: String] = [:]) {
        self.kind = kind; self.attributes = attributes; self.delimiter = delimiter
        self.mailbox = mailbox; self.extended = extended
    }
}

/// STATUS data (RFC 3501 §7.2.4), each value present only when the server sent it.
public struct MailboxStatus: Hashable, Sendable {
    public var messages: Int?
    public var recent: Int?
    public var uidNext: UID?
    public var uidValidity: UIDValidity?
    public var unseen: Int?
    public var highestModSeq: ModSequence?
    public var size: Int64?
    public init(
        messages: Int? = nil, recent: Int? = nil, uidNext: UID? = nil, uidValidity: UIDValidity? = nil,
        unseen: Int? = nil, highestModSeq: ModSequence? = nil, size: Int64? = nil
    ) {
        self.messages = messages; self.recent = recent; self.uidNext = uidNext
        self.uidValidity = uidValidity; self.unseen = unseen; self.highestModSeq = highestModSeq; self.size = size
    }
}

/// RFC 4731 ESEARCH: `* ESEARCH (TAG "A1") UID MIN 2 MAX 13 ALL 2:6,9:13 COUNT 10`.
public struct ESearchResponse: Hashable, Sendable {
    public var tag: String?
    public var uid: Bool
    public var min: UInt32?
    public var max: UInt32?
    public var count: Int?
    /// The ALL set; interpret as UIDs when `uid` is true.
    public var all: [MessageRange<UID>]?
    public var modSeq: ModSequence?
    public init(tag: String? = nil, uid: Bool = false, min: UInt32? = nil, max: UInt32? = nil, count: Int? = nil, all: [MessageRange<UID>]? = nil, modSeq: ModSequence? = nil) {
        self.tag = tag; self.uid = uid; self.min = min; self.max = max; self.count = count; self.all = all; self.modSeq = modSeq
    }
}

/// One namespace: its prefix and hierarchy delimiter.
public struct Namespace: Hashable, Sendable {
    public var prefix: String
    public var delimiter: Character?
    public init(prefix: String, delimiter: Character?) { self.prefix = prefix; self.delimiter = delimiter }
}

/// RFC 2342 NAMESPACE: personal, other users', shared.
public struct NamespaceResponse: Hashable, Sendable {
    public var personal: [Namespace]
    public var otherUsers: [Namespace]
    public var shared: [Namespace]
    public init(personal: [Namespace], otherUsers: [Namespace], shared: [Namespace]) {
        self.personal = personal; self.otherUsers = otherUsers; self.shared = shared
    }
}
