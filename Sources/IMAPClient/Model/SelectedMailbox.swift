/// The state of the selected mailbox, as SELECT/EXAMINE reported it and later untagged
/// responses (EXISTS, EXPUNGE, VANISHED) kept up to date.
public struct SelectedMailbox: Sendable, Hashable {
    public var name: MailboxName
    public var exists: Int
    public var recent: Int
    public var uidNext: UID?
    public var uidValidity: UIDValidity?
    public var flags: [Flag]
    public var permanentFlags: [Flag]
    /// EXAMINE, or the server answered `[READ-ONLY]`.
    public var readOnly: Bool
    /// CONDSTORE's HIGHESTMODSEQ, when the server reports it.
    public var highestModSeq: ModSequence?
    /// The first unseen message's sequence number (`[UNSEEN n]`, IMAP4rev1 only).
    public var unseen: SequenceNumber?
    /// The server answered `[NOMODSEQ]`: this mailbox keeps no modification sequences, so
    /// CONDSTORE and QRESYNC cannot be used on it (RFC 7162 §3.1.2.2).
    public var noModSeq = false
    /// The server sent an untagged NO or BAD while this mailbox was selected: it had trouble
    /// keeping the session's view of the mailbox, so the view may no longer be the mailbox's.
    /// Dovecot does so on NOOP when the selected mailbox was deleted and created again by another
    /// session, and otherwise keeps reporting the deleted one. SELECT it again before trusting it.
    public var inDoubt = false
    /// The mailbox changed in a way that raised its HIGHESTMODSEQ (an expunge, new mail, flags) and
    /// the server did not say to what: with CONDSTORE enabled but not QRESYNC, Dovecot does not.
    /// `highestModSeq` is then below the server's until a STATUS (HIGHESTMODSEQ) of the mailbox.
    public var highestModSeqUnannounced = false

    public init(
        name: MailboxName, exists: Int = 0, recent: Int = 0, uidNext: UID? = nil, uidValidity: UIDValidity? = nil,
        flags: [Flag] = [], permanentFlags: [Flag] = [], readOnly: Bool = false, highestModSeq: ModSequence? = nil,
        unseen: SequenceNumber? = nil
    ) {
        self.name = name; self.exists = exists; self.recent = recent; self.uidNext = uidNext
        self.uidValidity = uidValidity; self.flags = flags; self.permanentFlags = permanentFlags
        self.readOnly = readOnly; self.highestModSeq = highestModSeq; self.unseen = unseen
    }
}
