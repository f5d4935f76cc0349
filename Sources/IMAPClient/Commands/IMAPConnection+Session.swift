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
            guard let selected = state.withLock({ $0.selected }) else {
                throw IMAPError.protocolViolation("mailbox deselected while selecting")
            }
            return selected
        }
    }

    /// UNSELECT when offered, else CLOSE (which also expunges \Deleted messages, so only use it
    /// read-only: EXAMINE a mailbox first to be safe). Leaves no mailbox selected.
    public func unselect() async throws {
        try await exclusive {
            if capabilities.contains(.unselect) {
                try await send(.unselect)
            } else if state.withLock({ $0.selected?.readOnly ?? true }) {
                try await send(.close)
            } else {
                throw IMAPError.missingExtension(.unselect)
            }
            state.withLock { $0.selected = nil }
        }
    }
}
