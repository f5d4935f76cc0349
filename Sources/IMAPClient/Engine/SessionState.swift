/// What a session knows about the server and its selected mailbox; updated by every untagged
/// response, whichever command it arrives during.
struct SessionState: Sendable {
    /// As the server announced them (greeting code, CAPABILITY, or a tagged OK's code).
    var serverCapabilities: Set<Capability> = []
    /// Bumped on every new capability list, so a command can tell whether it brought one.
    var capabilityGeneration = 0
    /// What ENABLE turned on (CONDSTORE, QRESYNC, UTF8=ACCEPT).
    var enabled: Set<Capability> = []
    var authenticated = false
    var selected: SelectedMailbox?
    /// false after BYE, a socket error, a timeout, a fatal parse error, `close()` or `logout()`.
    var usable = true
    /// The BYE text, when the server said goodbye.
    var bye: ResponseText?
    var tagCounter = 0
    /// Told about mailbox changes (EXISTS, EXPUNGE, VANISHED, FETCH with FLAGS, BYE) as they arrive.
    var mailboxObserver: (@Sendable (UntaggedResponse) -> Void)?
    /// `IMAPConnection.mailboxViewVersion`: replaced by a process-wide fresh number whenever this
    /// session hears or does something that may change its selected mailbox as it sees it.
    var viewVersion = MailboxViewVersion.next()

    mutating func nextTag() -> String {
        tagCounter += 1
        return "A\(tagCounter)"
    }

    mutating func setCapabilities(_ capabilities: [Capability]) {
        serverCapabilities = Set(capabilities)
        capabilityGeneration += 1
    }

    /// Applies an untagged response to the session (RFC 3501 §7: servers may send these at any time).
    mutating func apply(_ response: UntaggedResponse) {
        if Self.mayChangeView(response) { viewVersion = MailboxViewVersion.next() }
        switch response {
        case .capability(let capabilities):
            setCapabilities(capabilities)
        case .condition(let status, let text):
            if status == .bye {
                bye = text
                usable = false
            }
            // An untagged NO or BAD is the server's only word that it failed to bring the
            // selected mailbox up to date (SelectedMailbox.inDoubt).
            if status == .no || status == .bad { selected?.inDoubt = true }
            if let code = text.code { apply(code) }
        case .enabled(let capabilities):
            enabled.formUnion(capabilities)
        case .flags(let flags):
            selected?.flags = flags
        case .exists(let count):
            if count != selected?.exists { noteUnannouncedModSeq() }
            selected?.exists = count
        case .recent(let count):
            selected?.recent = count
        case .expunge:
            noteUnannouncedModSeq()
            if let exists = selected?.exists { selected?.exists = max(0, exists - 1) }
        case .vanished(let earlier, let uids):
            // VANISHED (EARLIER) reports history, not a change of the current count.
            if !earlier, let exists = selected?.exists, let count = uids.identifiers?.count {
                selected?.exists = max(0, exists - count)
            }
        case .fetch(let fetch):
            // Not raised from the MODSEQ: a sync takes `highestModSeq` as what the mirror is
            // current to, and an unsolicited FETCH without a UID is not applied to it.
            if fetch.modSeq != nil { noteUnannouncedModSeq() }
        case .status(let mailbox, let status):
            if let modSeq = status.highestModSeq, let current = selected, current.name.wireBytes == mailbox.wireBytes {
                selected?.highestModSeq = max(modSeq, current.highestModSeq ?? 0)
                selected?.highestModSeqUnannounced = false
            }
        default:
            break
        }
    }

    /// A change that raises HIGHESTMODSEQ (an expunge, new mail, a flag change): with QRESYNC
    /// enabled servers announce the new value (Dovecot in the tagged OK), with CONDSTORE alone
    /// they need not (Dovecot does not).
    private mutating func noteUnannouncedModSeq() {
        guard selected?.highestModSeq != nil, !enabled.contains(.qresync) else { return }
        selected?.highestModSeqUnannounced = true
    }

    /// Whether `response` may tell of a change to the selected mailbox: its size, its messages'
    /// flags (a FETCH carrying FLAGS or MODSEQ, whichever command asked for it: an unsolicited
    /// update can ride on a solicited answer), or the server's doubt about the view (NO/BAD).
    private static func mayChangeView(_ response: UntaggedResponse) -> Bool {
        switch response {
        case .exists, .expunge, .vanished, .flags: true
        case .fetch(let fetch): fetch.flags != nil || fetch.modSeq != nil
        case .condition(let status, _): status != .ok
        default: false
        }
    }

    /// Whether `code` tells of a new UIDNEXT, UIDVALIDITY or HIGHESTMODSEQ (the same value again
    /// tells nothing).
    private func mayChangeView(_ code: ResponseCode) -> Bool {
        switch code {
        case .uidNext(let uid): selected?.uidNext != uid
        case .uidValidity(let validity): selected?.uidValidity != validity
        case .highestModSeq(let value): selected?.highestModSeq != value
        case .noModSeq: selected?.noModSeq != true
        default: false
        }
    }

    /// Applies a response code from an untagged or tagged status response.
    mutating func apply(_ code: ResponseCode) {
        if mayChangeView(code) { viewVersion = MailboxViewVersion.next() }
        switch code {
        case .capability(let capabilities): setCapabilities(capabilities)
        case .uidNext(let uid): selected?.uidNext = uid
        case .uidValidity(let validity): selected?.uidValidity = validity
        case .permanentFlags(let flags): selected?.permanentFlags = flags
        case .unseen(let number): selected?.unseen = number
        case .highestModSeq(let value):
            selected?.highestModSeq = value
            selected?.highestModSeqUnannounced = false
        case .noModSeq: selected?.noModSeq = true
        case .readOnly: selected?.readOnly = true
        case .readWrite: selected?.readOnly = false
        default: break
        }
    }
}
