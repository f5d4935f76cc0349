/// A server capability (`IMAP4rev1`, `AUTH=PLAIN`, `LITERAL+`), compared case-insensitively.
public struct Capability: Hashable, Sendable, CustomStringConvertible {
    /// Upper-cased, as capabilities are case-insensitive atoms.
    public let rawValue: String
    public init(_ value: String) { rawValue = value.uppercased() }
    public var description: String { rawValue }

    public static let imap4rev1 = Capability("IMAP4rev1")
    public static let imap4rev2 = Capability("IMAP4rev2")
    public static let startTLS = Capability("STARTTLS")
    public static let loginDisabled = Capability("LOGINDISABLED")
    public static let literalPlus = Capability("LITERAL+")
    public static let literalMinus = Capability("LITERAL-")
    public static let saslIR = Capability("SASL-IR")
    public static let authPlain = Capability("AUTH=PLAIN")
    public static let authXOAuth2 = Capability("AUTH=XOAUTH2")
    public static let idle = Capability("IDLE")
    public static let namespace = Capability("NAMESPACE")
    public static let uidPlus = Capability("UIDPLUS")
    public static let move = Capability("MOVE")
    public static let enable = Capability("ENABLE")
    public static let condStore = Capability("CONDSTORE")
    public static let qresync = Capability("QRESYNC")
    public static let esearch = Capability("ESEARCH")
    public static let specialUse = Capability("SPECIAL-USE")
    public static let listExtended = Capability("LIST-EXTENDED")
    public static let listStatus = Capability("LIST-STATUS")
    public static let utf8Accept = Capability("UTF8=ACCEPT")
    public static let binary = Capability("BINARY")
    public static let xlist = Capability("XLIST")
    public static let children = Capability("CHILDREN")
    public static let preview = Capability("PREVIEW")
    public static let id = Capability("ID")
    /// Gmail's extensions: X-GM-LABELS, X-GM-THRID, X-GM-MSGID in FETCH and X-GM-RAW in SEARCH.
    public static let gmail = Capability("X-GM-EXT-1")
}
