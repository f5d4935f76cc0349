import IMAP

/// What a resynchronisation told about a mailbox: the messages whose flags changed (each with its
/// UID, FLAGS and MODSEQ) and the UIDs expunged meanwhile.
public struct ResyncAnswer: Sendable, Hashable {
    /// The selected mailbox after the command (EXISTS, UIDNEXT, HIGHESTMODSEQ as reported).
    public var selected: SelectedMailbox
    /// FETCH responses carrying a UID, in arrival order, several for one message merged.
    public var changed: [FetchResponse]
    /// UIDs reported by `VANISHED (EARLIER)` (and plain `VANISHED`) during the command.
    public var vanished: [UID]

    public init(selected: SelectedMailbox, changed: [FetchResponse], vanished: [UID]) {
        self.selected = selected
        self.changed = changed
        self.vanished = vanished
    }
}

extension IMAPConnection {
    /// SELECT (or EXAMINE) with `(QRESYNC (...))` (RFC 7162 §3.2.5): one round trip that both
    /// opens the mailbox and reports what changed since `parameters.modSeq`. ENABLEs QRESYNC first
    /// when the session has not; throws `missingExtension(.qresync)` when the server lacks it.
    /// When UIDVALIDITY changed, `selected.uidValidity` differs from the parameters' and the
    /// answer carries no changes: everything known is void.
    public func selectQResync(_ mailbox: MailboxName, readOnly: Bool, parameters: QResyncParameters) async throws -> ResyncAnswer {
        guard capabilities.contains(.qresync) else { throw IMAPError.missingExtension(.qresync) }
        if !enabledCapabilities.contains(.qresync) {
            guard try await enable([.qresync]).contains(.qresync) else { throw IMAPError.missingExtension(.qresync) }
        }
        return try await exclusive {
            state.withLock { $0.selected = SelectedMailbox(name: mailbox, readOnly: readOnly) }
            var collected = ResyncCollector()
            do {
                try await send(.selectQResync(mailbox, readOnly: readOnly, parameters)) { collected.add($0) }
            } catch {
                state.withLock { $0.selected = nil }
                throw error
            }
            guard let selected = state.withLock({ state in
                state.selected?.inDoubt = false
                return state.selected
            }) else {
                throw IMAPError.protocolViolation("mailbox deselected while selecting")
            }
            return ResyncAnswer(selected: selected, changed: collected.fetches.responses, vanished: collected.vanished)
        }
    }

    /// `UID FETCH uids (items) (CHANGEDSINCE modSeq [VANISHED])` in the selected mailbox: the
    /// messages of `uids` changed since `modSeq` and, with `vanished` (QRESYNC enabled), those of
    /// `uids` expunged since. CONDSTORE alone gives only the changes. UID is always fetched.
    public func uidFetchChanges(_ uids: UIDSet, _ items: [FetchItem], changedSince modSeq: ModSequence, vanished: Bool) async throws -> ResyncAnswer {
        if vanished, !enabledCapabilities.contains(.qresync) { throw IMAPError.missingExtension(.qresync) }
        guard vanished || capabilities.contains(.condStore) else { throw IMAPError.missingExtension(.condStore) }
        var items = items
        if !items.contains(.uid) { items.insert(.uid, at: 0) }
        let command: Command = vanished
            ? .uidFetchVanished(uids, items, changedSince: modSeq)
            : .uidFetch(uids, items, changedSince: modSeq)
        return try await exclusive {
            var collected = ResyncCollector()
            for piece in try split(command) {
                try await send(piece) { collected.add($0) }
            }
            let selected = state.withLock { $0.selected }
            guard let selected else { throw IMAPError.protocolViolation("no mailbox selected for UID FETCH CHANGEDSINCE") }
            return ResyncAnswer(selected: selected, changed: collected.fetches.responses, vanished: collected.vanished)
        }
    }
}

/// Gathers FETCH and VANISHED responses during a resynchronising command.
private struct ResyncCollector {
    var fetches = MergedFetches<UID>()
    var vanished: [UID] = []

    mutating func add(_ response: UntaggedResponse) {
        switch response {
        case .fetch(let fetch):
            if let uid = fetch.uid { fetches.add(fetch, for: uid) }
        case .vanished(_, let uids):
            // The server names exact UIDs here (never `*`); a set it could not expand is ignored.
            vanished += uids.identifiers ?? []
        default:
            break
        }
    }
}
