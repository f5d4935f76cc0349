import IMAP

/// What the pool itself does to a connection: close it. Whether a session still works and the
/// NOOP after a long idle time are the lease holder's business (`GatewayContext.withSession`),
/// which speaks `MailSession`.
///
/// The pool is generic over this so its bookkeeping can be tested without a server.
public protocol PooledConnection: AnyObject, Sendable {
    /// LOGOUT (best effort) and close the socket.
    func shutDown() async
}

/// The folder a session has selected, and how (EXAMINE is read-only).
public struct FolderSelection: Hashable, Sendable {
    public var folder: MailboxName
    public var readOnly: Bool
    /// The folder's UIDVALIDITY when the session last looked (nil: not known). A session that
    /// selects the folder and finds another tells the pool (`SessionPool.noteSelected`).
    public var uidValidity: UInt32?

    public init(folder: MailboxName, readOnly: Bool, uidValidity: UInt32? = nil) {
        self.folder = folder
        self.readOnly = readOnly
        self.uidValidity = uidValidity
    }

    /// Whether this selection serves a request for `folder` with `access`: a read can use a
    /// SELECTed folder, a write needs one that is not read-only.
    func serves(_ folder: MailboxName, access: SessionAccess) -> Bool {
        self.folder.wireBytes == folder.wireBytes && (access == .read || !readOnly)
    }
}

/// Whether a request only reads (EXAMINE, safe to retry) or changes the mailbox (SELECT, never retried).
public enum SessionAccess: Sendable, Hashable {
    case read
    case write
}

/// Numbers for metrics.
public struct PoolCounts: Sendable, Hashable {
    /// Sessions open or being opened.
    public var open: Int
    /// Sessions lent out to requests.
    public var busy: Int
    /// Requests waiting for a session.
    public var waiting: Int
}
