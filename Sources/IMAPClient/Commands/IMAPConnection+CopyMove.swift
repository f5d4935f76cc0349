extension IMAPConnection {
    /// UID COPY; the COPYUID mapping when the server reports one (UIDPLUS).
    public func uidCopy(_ uids: UIDSet, to mailbox: MailboxName) async throws -> CopyResult? {
        guard !uids.isEmpty else { return nil }
        return try await exclusive { try await copyLocked(uids, to: mailbox, move: false) }
    }

    /// Moves messages. With MOVE: UID MOVE. Without: COPY, then `+FLAGS.SILENT \Deleted` and
    /// `UID EXPUNGE` of exactly these UIDs, only after COPY succeeded; that needs UIDPLUS, so
    /// without it `IMAPError.missingExtension(.uidPlus)` is thrown before anything is sent
    /// (a bare EXPUNGE would delete other messages flagged \Deleted).
    public func uidMove(_ uids: UIDSet, to mailbox: MailboxName) async throws -> CopyResult? {
        guard !uids.isEmpty else { return nil }
        let offered = capabilities
        if offered.contains(.move) {
            return try await exclusive { try await copyLocked(uids, to: mailbox, move: true) }
        }
        guard offered.contains(.uidPlus) else { throw IMAPError.missingExtension(.uidPlus) }
        return try await exclusive {
            let copied = try await copyLocked(uids, to: mailbox, move: false)
            try await storeLocked(uids, .add([.deleted]), silent: true)
            try await expungeLocked(uids)
            return copied
        }
    }

    /// UID EXPUNGE (UIDPLUS): removes exactly these UIDs if they are flagged \Deleted. Never a
    /// bare EXPUNGE; without UIDPLUS throws `missingExtension(.uidPlus)`.
    public func uidExpunge(_ uids: UIDSet) async throws {
        guard !uids.isEmpty else { return }
        guard capabilities.contains(.uidPlus) else { throw IMAPError.missingExtension(.uidPlus) }
        try await exclusive { try await expungeLocked(uids) }
    }

    private func expungeLocked(_ uids: UIDSet) async throws {
        for piece in try split(.uidExpunge(uids)) {
            try await send(piece)
        }
    }

    private func copyLocked(_ uids: UIDSet, to mailbox: MailboxName, move: Bool) async throws -> CopyResult? {
        var validity: UIDValidity?
        var mapping: [(source: UID, destination: UID)] = []
        func record(_ code: ResponseCode?) {
            guard case .copyUID(let uidValidity, let source, let destination) = code else { return }
            validity = uidValidity
            mapping += zip(source.orderedIdentifiers, destination.orderedIdentifiers).map { (source: $0, destination: $1) }
        }
        for piece in try split(move ? .uidMove(uids, mailbox) : .uidCopy(uids, mailbox)) {
            // MOVE reports COPYUID in an untagged OK before the expunges; COPY in the tagged OK.
            let tagged = try await send(piece) { response in
                if case .condition(.ok, let text) = response { record(text.code) }
            }
            record(tagged.text.code)
        }
        guard let validity else { return nil }
        return CopyResult(uidValidity: validity, mapping: mapping)
    }
}

extension MessageSet {
    /// The numbers in the order the set lists them (COPYUID pairs its two sets by position, so
    /// they must not be sorted); empty for sets with `*`.
    var orderedIdentifiers: [ID] {
        var result: [ID] = []
        for range in ranges {
            guard let upper = range.upper else { return [] }
            result += (range.lower.rawValue...upper.rawValue).map { ID(rawValue: $0) }
        }
        return result
    }
}
