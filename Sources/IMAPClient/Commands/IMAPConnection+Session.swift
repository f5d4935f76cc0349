extension IMAPConnection {
    /// ENABLE (RFC 5161); returns what the server enabled. Some servers reject a whole list for
    /// one unknown item: then each item is tried on its own. Servers that answer OK without an
    /// ENABLED line (iCloud) are taken to have enabled what was asked and offered.
    @discardableResult
    public func enable(_ capabilities: [Capability]) async throws -> Set<Capability> {
        let offered = self.capabilities
        let wanted = capabilities.filter { offered.contains($0) }
        guard offered.contains(.enable), !wanted.isEmpty else { return [] }
        return try await exclusive {
            func attempt(_ items: [Capability]) async throws -> Set<Capability>? {
                var reported: Set<Capability>?
                let tagged = try await send(.enable(items), requireOK: false) { response in
                    if case .enabled(let list) = response { reported = (reported ?? []).union(list) }
                }
                guard tagged.status == .ok else { return nil }
                let result = reported ?? Set(items)
                state.withLock { $0.enabled.formUnion(result) }
                return result
            }
            if let all = try await attempt(wanted) { return all }
            guard wanted.count > 1 else { return [] }
            var enabled: Set<Capability> = []
            for item in wanted {
                if let one = try await attempt([item]) { enabled.formUnion(one) }
            }
            return enabled
        }
    }

    /// NAMESPACE (RFC 2342); without the extension, one personal namespace with the empty prefix.
    public func namespace() async throws -> NamespaceResponse {
        guard capabilities.contains(.namespace) else {
            return NamespaceResponse(personal: [Namespace(prefix: "", delimiter: nil)], otherUsers: [], shared: [])
        }
        return try await exclusive {
            var result: NamespaceResponse?
            try await send(.namespace) { response in
                if case .namespace(let namespaces) = response { result = namespaces }
            }
            guard let result else { throw IMAPError.protocolViolation("NAMESPACE answered without a NAMESPACE response") }
            return result
        }
    }

    /// NOOP: lets the server deliver pending EXISTS/EXPUNGE/FLAGS updates; checks the session is alive.
    public func noop() async throws {
        try await exclusive { try await send(.noop) }
    }

    /// SELECT (or EXAMINE when `readOnly`), with CONDSTORE when the server offers it.
    public func select(_ mailbox: MailboxName, readOnly: Bool) async throws -> SelectedMailbox {
        try await exclusive {
            let condStore = capabilities.contains(.condStore)
            // A SELECT, even a failing one, deselects the current mailbox (RFC 3501 §6.3.1); the
            // untagged data that follows fills the new one.
            state.withLock { $0.selected = SelectedMailbox(name: mailbox, readOnly: readOnly) }
            do {
                try await send(readOnly ? .examine(mailbox, condStore: condStore) : .select(mailbox, condStore: condStore))
            } catch {
                state.withLock { $0.selected = nil }
                throw error
            }
            // The SELECT just read the mailbox afresh: a warning during it leaves no doubt.
            guard var selected = state.withLock({ state in
                state.selected?.inDoubt = false
                return state.selected
            }) else {
                throw IMAPError.protocolViolation("mailbox deselected while selecting")
            }
            if selected.uidNext == nil, let uidNext = try await uidNextByStatus(mailbox) {
                selected.uidNext = uidNext
                state.withLock { $0.selected?.uidNext = uidNext }
            }
            return selected
        }
    }

    /// CLOSE of a read-only (EXAMINEd) mailbox, which expunges nothing. pymap refuses CLOSE after
    /// EXAMINE ("Mailbox is read-only"); a failing EXAMINE deselects too (RFC 3501 §6.3.1), so
    /// then one of a mailbox that cannot exist does. Call inside `exclusive`.
    func closeReadOnlyLocked() async throws {
        let closed = try await send(.close, requireOK: false)
        guard closed.status != .ok else { return }
        try await send(.examine(MailboxName("imap-gateway-deselect-\(UInt64.random(in: 1...UInt64.max))"), condStore: false),
                       requireOK: false)
    }

    /// Courier leaves `[UIDNEXT]` out of SELECT (RFC 3501 requires it; RFC 9051 does not):
    /// STATUS (UIDNEXT) of the just-selected mailbox gives it, which counting UIDs cannot when
    /// the last messages were expunged. Nil when the server says nothing there either.
    private func uidNextByStatus(_ mailbox: MailboxName) async throws -> UID? {
        var uidNext: UID?
        try await send(.status(mailbox, [.uidNext]), requireOK: false) { response in
            if case .status(let name, let status) = response, name.wireBytes == mailbox.wireBytes { uidNext = status.uidNext }
        }
        return uidNext
    }

    /// UNSELECT when offered, else CLOSE (which also expunges \Deleted messages, so only use it
    /// read-only: EXAMINE a mailbox first to be safe). Leaves no mailbox selected.
    public func unselect() async throws {
        try await exclusive {
            if capabilities.contains(.unselect) {
                try await send(.unselect)
            } else if state.withLock({ $0.selected?.readOnly ?? true }) {
                try await closeReadOnlyLocked()
            } else {
                throw IMAPError.missingExtension(.unselect)
            }
            state.withLock { $0.selected = nil }
        }
    }
}
