import Sockets

/// Where a session's view of its selected mailbox stands (`IMAPConnection.mailboxViewVersion`).
/// Every response that may tell of a change to the mailbox (EXISTS, EXPUNGE, VANISHED, a FETCH
/// with FLAGS or MODSEQ, an untagged NO/BAD, a new UIDNEXT, UIDVALIDITY or HIGHESTMODSEQ), every
/// command that may change it (STORE, COPY, MOVE, EXPUNGE, APPEND, CLOSE...) and every SELECT
/// gives the session a new version, unique in the process: a session whose version is the same
/// at two moments has heard of no change to the mailbox and made none in between. Someone who
/// knew the mailbox as the session saw it at the first moment, and whose knowledge did not change
/// since, knows it as the session sees it at the second; with a NOOP just before the second, as
/// the server has it (RFC 3501 §5.2: size updates MUST be sent, flag updates SHOULD).
public struct MailboxViewVersion: Sendable, Hashable {
    public let rawValue: UInt64

    private static let counter = Protected<UInt64>(0)

    static func next() -> MailboxViewVersion {
        MailboxViewVersion(rawValue: counter.withLock { value in
            value &+= 1
            return value
        })
    }
}
