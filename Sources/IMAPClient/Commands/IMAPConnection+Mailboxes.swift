extension IMAPConnection {
    /// STATUS items asked for by `status` and `list(includeStatus:)`.
    var statusItems: [StatusAttribute] {
        var items: [StatusAttribute] = [.messages, .uidNext, .uidValidity, .unseen]
        if capabilities.contains(.condStore) { items.append(.highestModSeq) }
        return items
    }

    /// The mailbox's STATUS (messages, unseen, UIDNEXT, UIDVALIDITY, HIGHESTMODSEQ when offered).
    public func status(_ mailbox: MailboxName) async throws -> MailboxStatus {
        try await exclusive { try await statusLocked(mailbox) }
    }

    private func statusLocked(_ mailbox: MailboxName) async throws -> MailboxStatus {
        var result: MailboxStatus?
        try await send(.status(mailbox, statusItems)) { response in
            if case .status(let name, let status) = response, name.wireBytes == mailbox.wireBytes || result == nil {
                result = status
            }
        }
        guard let result else { throw IMAPError.protocolViolation("STATUS answered without a STATUS response") }
        return result
    }

    /// All mailboxes matching `pattern` (`*` everything, `%` one level). Uses LIST RETURN
    /// (SPECIAL-USE SUBSCRIBED STATUS) where offered and falls back to plain LIST on BAD
    /// (ProtonMail Bridge), LSUB for subscriptions, STATUS per selectable mailbox for counts.
    public func list(pattern: String = "*", subscribedOnly: Bool = false, includeStatus: Bool = false) async throws -> [MailboxListing] {
        try await exclusive {
            let offered = capabilities
            let patternName = MailboxName(pattern, utf8: namesAreUTF8)
            let reference = MailboxName("")
            var useExtended = offered.contains(.listExtended)
            let useSpecialUse = offered.contains(.specialUse)
            var useListStatus = includeStatus && offered.contains(.listStatus)
            var lines: [ListResponse] = []
            var statuses: [[UInt8]: MailboxStatus] = [:]
            let collect: (UntaggedResponse) async throws -> Void = { response in
                switch response {
                case .list(let line) where line.kind != .lsub: lines.append(line)
                case .status(let name, let status): statuses[name.wireBytes] = status
                default: break
                }
            }
            if useExtended || useSpecialUse || useListStatus {
                let extended = Command.list(
                    reference: reference, pattern: patternName, returnSpecialUse: useSpecialUse,
                    returnStatus: useListStatus ? statusItems : [], returnSubscribed: useExtended)
                let tagged = try await send(extended, requireOK: false, untagged: collect)
                switch tagged.status {
                case .ok: break
                case .bad:
                    logger.debug("LIST with RETURN options refused; falling back to plain LIST")
                    lines = []; statuses = [:]; useExtended = false; useListStatus = false
                    try await send(.list(reference: reference, pattern: patternName), untagged: collect)
                default:
                    throw IMAPError.no(command: "LIST", tagged.text)
                }
            } else {
                try await send(.list(reference: reference, pattern: patternName), untagged: collect)
            }

            var subscribedNames: Set<[UInt8]> = []
            if !useExtended {
                try await send(.lsub(reference: reference, pattern: patternName)) { response in
                    if case .list(let line) = response, line.kind == .lsub { subscribedNames.insert(line.mailbox.wireBytes) }
                }
            }

            var listings: [MailboxListing] = []
            for line in lines {
                var listing = MailboxListing(name: line.mailbox, delimiter: line.delimiter, attributes: line.attributes)
                listing.specialUse = SpecialUse(attributes: line.attributes) ?? (line.mailbox.isInbox ? .inbox : nil)
                listing.subscribed = useExtended ? listing.hasAttribute("\\Subscribed") : subscribedNames.contains(line.mailbox.wireBytes)
                listing.status = statuses[line.mailbox.wireBytes]
                if includeStatus, listing.status == nil, listing.selectable, !useListStatus {
                    // A mailbox deleted by another client since LIST just has no status.
                    do {
                        listing.status = try await statusLocked(line.mailbox)
                    } catch IMAPError.no {
                        listing.status = nil
                    }
                }
                listings.append(listing)
            }
            return subscribedOnly ? listings.filter { $0.subscribed == true } : listings
        }
    }

    /// CREATE; `NO [ALREADYEXISTS]` arrives as `IMAPError.no` with that code.
    public func create(_ mailbox: MailboxName) async throws {
        try await exclusive { try await send(.create(mailbox)) }
    }

    /// DELETE (leaving the mailbox first when it is selected); `NO [NONEXISTENT]` arrives as `IMAPError.no` with that code.
    public func delete(_ mailbox: MailboxName) async throws {
        try await exclusive {
            try await leaveIfSelected(mailbox)
            try await send(.delete(mailbox))
        }
    }

    /// RENAME. Leaves the mailbox first when it is the selected one (Dovecot ends a session
    /// whose selected mailbox is renamed under it).
    public func rename(_ from: MailboxName, to: MailboxName) async throws {
        try await exclusive {
            try await leaveIfSelected(from)
            try await send(.rename(from: from, to: to))
        }
    }

    /// Deselects `mailbox` if it is the selected one, without expunging anything: UNSELECT when
    /// offered, else CLOSE of a read-only (EXAMINEd) mailbox, which never expunges.
    private func leaveIfSelected(_ mailbox: MailboxName) async throws {
        guard let selected = state.withLock({ $0.selected }), selected.name.wireBytes == mailbox.wireBytes else { return }
        if capabilities.contains(.unselect) {
            try await send(.unselect)
        } else {
            if !selected.readOnly { try await send(.examine(mailbox)) }
            try await closeReadOnlyLocked()
        }
        state.withLock { $0.selected = nil }
    }

    /// SUBSCRIBE
    public func subscribe(_ mailbox: MailboxName) async throws {
        try await exclusive { try await send(.subscribe(mailbox)) }
    }

    /// UNSUBSCRIBE
    public func unsubscribe(_ mailbox: MailboxName) async throws {
        try await exclusive { try await send(.unsubscribe(mailbox)) }
    }
}
