import Gateway
import IMAP
import IMAPClient

/// The writes: STORE, COPY, MOVE, EXPUNGE, APPEND and the folder commands, applied to the store.
extension InMemoryMailSession {
    public func uidStore(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool) async throws(IMAPError) -> [UID: [Flag]] {
        try begin(.uidStore)
        return try withSelected("UID STORE") { (folder, readOnly) throws(IMAPError) in
            if readOnly { throw Self.no("UID STORE", .readOnly, "Mailbox is read-only.") }
            let largest = folder.messages.last?.uid.rawValue ?? 0
            var reported: [UID: [Flag]] = [:]
            for index in folder.messages.indices where FakeSearch.contains(uids, folder.messages[index].uid.rawValue, largest: largest) {
                var flags = folder.messages[index].flags
                switch operation {
                case .add(let added): for flag in added where !flags.contains(flag) { flags.append(flag) }
                case .remove(let removed): flags.removeAll { removed.contains($0) }
                case .replace(let replacement): flags = replacement
                }
                folder.messages[index].flags = flags
                if !silent { reported[folder.messages[index].uid] = flags }
            }
            return reported
        }
    }

    public func uidCopy(_ uids: UIDSet, to target: MailboxName) async throws(IMAPError) -> CopyResult? {
        try begin(.uidCopy)
        return try copy(uids, to: target, command: "UID COPY", removing: false)
    }

    public func uidMove(_ uids: UIDSet, to target: MailboxName) async throws(IMAPError) -> CopyResult? {
        try begin(.uidMove)
        return try copy(uids, to: target, command: "UID MOVE", removing: true)
    }

    public func uidExpunge(_ uids: UIDSet) async throws(IMAPError) {
        try begin(.uidExpunge)
        guard store.state.withLock({ $0.capabilities.contains(.uidPlus) }) else { throw IMAPError.missingExtension(.uidPlus) }
        try withSelected("UID EXPUNGE") { (folder, readOnly) throws(IMAPError) in
            if readOnly { throw Self.no("UID EXPUNGE", .readOnly, "Mailbox is read-only.") }
            let largest = folder.messages.last?.uid.rawValue ?? 0
            folder.messages.removeAll { $0.flags.contains(.deleted) && FakeSearch.contains(uids, $0.uid.rawValue, largest: largest) }
        }
    }

    public func append(to target: MailboxName, flags: [Flag], date: String?, size: Int,
                       body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> AppendResult? {
        try begin(.append)
        var raw: [UInt8] = []
        // An error of the body (the HTTP client went away) is rethrown as it is.
        for try await chunk in body { raw += chunk }
        guard raw.count == size else {
            throw Self.bad("APPEND", "literal of \(size) octets announced, \(raw.count) sent")
        }
        let hasUIDPlus = store.state.withLock { $0.capabilities.contains(.uidPlus) }
        return try store.state.withLock { (state) throws(IMAPError) -> AppendResult? in
            guard let index = state.folders.firstIndex(where: { FakeMailStore.same($0.name, target) }) else {
                throw Self.no("APPEND", .tryCreate, "Mailbox doesn't exist: \(target)")
            }
            let uid = state.folders[index].uidNext
            var message = FakeMessage(uid: uid, raw: raw, flags: flags)
            if let date { message.internalDate = date }
            state.folders[index].messages.append(message)
            state.folders[index].uidNext = UID(uid.rawValue + 1)
            return hasUIDPlus ? AppendResult(uidValidity: state.folders[index].uidValidity, uid: uid) : nil
        }
    }

    public func createFolder(_ folder: MailboxName) async throws(IMAPError) {
        try begin(.createFolder)
        try store.state.withLock { (state) throws(IMAPError) in
            if state.folders.contains(where: { FakeMailStore.same($0.name, folder) }) {
                throw Self.no("CREATE", .alreadyExists, "Mailbox already exists")
            }
            let validity = (state.folders.map(\.uidValidity).max() ?? 0) + 1
            state.folders.append(FakeFolder(name: folder, uidValidity: validity, subscribed: false))
        }
    }

    public func deleteFolder(_ folder: MailboxName) async throws(IMAPError) {
        try begin(.deleteFolder)
        try store.state.withLock { (state) throws(IMAPError) in
            guard let index = state.folders.firstIndex(where: { FakeMailStore.same($0.name, folder) }) else {
                throw Self.no("DELETE", .nonExistent, "Mailbox doesn't exist: \(folder)")
            }
            state.folders.remove(at: index)
        }
    }

    public func renameFolder(_ folder: MailboxName, to newName: MailboxName) async throws(IMAPError) {
        try begin(.renameFolder)
        try store.state.withLock { (state) throws(IMAPError) in
            guard let index = state.folders.firstIndex(where: { FakeMailStore.same($0.name, folder) }) else {
                throw Self.no("RENAME", .nonExistent, "Mailbox doesn't exist: \(folder)")
            }
            if state.folders.contains(where: { FakeMailStore.same($0.name, newName) }) {
                throw Self.no("RENAME", .alreadyExists, "Mailbox already exists")
            }
            state.folders[index].name = newName
        }
    }

    public func setSubscribed(_ folder: MailboxName, _ subscribed: Bool) async throws(IMAPError) {
        try begin(.setSubscribed)
        try store.state.withLock { (state) throws(IMAPError) in
            guard let index = state.folders.firstIndex(where: { FakeMailStore.same($0.name, folder) }) else {
                throw Self.no(subscribed ? "SUBSCRIBE" : "UNSUBSCRIBE", .nonExistent, "Mailbox doesn't exist: \(folder)")
            }
            state.folders[index].subscribed = subscribed
        }
    }

    /// COPY (or MOVE when `removing`) of the selected folder's `uids` to `target`, with new UIDs
    /// there in source order; the COPYUID mapping when the server has UIDPLUS.
    private func copy(_ uids: UIDSet, to target: MailboxName, command: String, removing: Bool) throws(IMAPError) -> CopyResult? {
        let picked: [FakeMessage] = try withSelected(command) { (folder, readOnly) throws(IMAPError) in
            if removing, readOnly { throw Self.no(command, .readOnly, "Mailbox is read-only.") }
            let largest = folder.messages.last?.uid.rawValue ?? 0
            return folder.messages.filter { FakeSearch.contains(uids, $0.uid.rawValue, largest: largest) }
        }
        let hasUIDPlus = store.state.withLock { $0.capabilities.contains(.uidPlus) }
        return try store.state.withLock { (state) throws(IMAPError) -> CopyResult? in
            guard let index = state.folders.firstIndex(where: { FakeMailStore.same($0.name, target) }) else {
                throw Self.no(command, .tryCreate, "Mailbox doesn't exist: \(target)")
            }
            var mapping: [(source: UID, destination: UID)] = []
            for message in picked {
                var copy = message
                copy.uid = state.folders[index].uidNext
                state.folders[index].uidNext = UID(copy.uid.rawValue + 1)
                state.folders[index].messages.append(copy)
                mapping.append((message.uid, copy.uid))
            }
            if removing, let source = selectedName,
               let from = state.folders.firstIndex(where: { FakeMailStore.same($0.name, source) }) {
                let moved = Set(picked.map(\.uid))
                state.folders[from].messages.removeAll { moved.contains($0.uid) }
            }
            return hasUIDPlus && !picked.isEmpty ? CopyResult(uidValidity: state.folders[index].uidValidity, mapping: mapping) : nil
        }
    }
}
