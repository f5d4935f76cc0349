extension IMAPConnection {
    /// UID SEARCH in the selected mailbox; ascending UIDs. Uses ESEARCH `RETURN (ALL)` when
    /// offered (compact answers for big mailboxes); non-ASCII text goes with `CHARSET UTF-8`.
    public func uidSearch(_ key: SearchKey) async throws -> [UID] {
        try await exclusive {
            let esearch = capabilities.contains(.esearch)
            var numbers: [UInt32] = []
            try await send(.uidSearch(key, returning: esearch ? [.all] : nil)) { response in
                switch response {
                case .search(let found, _):
                    numbers += found
                case .esearch(let result):
                    for range in result.all ?? [] {
                        guard let upper = range.upper else { continue }
                        numbers += Array(range.lower.rawValue...upper.rawValue)
                    }
                default:
                    break
                }
            }
            // ESEARCH ranges and most SEARCH answers are ascending already; only then is the
            // expansion free of a sort (a Set + sort of 100,000 UIDs cost more than the FETCH).
            if !numbers.isStrictlyAscending { numbers = Array(Set(numbers)).sorted() }
            return numbers.map { UID($0) }
        }
    }

    /// UID FETCH of `items` (UID is always added). Long sets are split so no line exceeds 1000
    /// octets. Only responses carrying a UID in `uids` are returned (unsolicited FETCHes for other
    /// messages only update the session); several responses for one message are merged.
    public func uidFetch(_ uids: UIDSet, _ items: [FetchItem]) async throws -> [FetchResponse] {
        var merged = MergedFetches<UID>()
        try await fetch(uids, items) { response, uid in merged.add(response, for: uid) }
        return merged.responses
    }

    /// FETCH by message sequence number in the selected mailbox (UID is always added): a window
    /// by position, such as the newest `n` messages (`exists-n+1:*`), without a SEARCH of the
    /// whole mailbox. Each response carries its `sequenceNumber`. Only responses whose number lies
    /// in `messages` are returned (others only update the session); several responses for one
    /// message are merged. Untagged EXISTS during the command update `selected`, so the count
    /// read afterwards is the server's as of this command.
    ///
    /// The set is sent as one command line: meant for a few ranges, not thousands.
    /// A sequence number above the mailbox's count is an error for most servers (Dovecot
    /// answers BAD): use `*` for "up to the last".
    public func fetch(_ messages: SequenceNumberSet, _ items: [FetchItem]) async throws -> [FetchResponse] {
        guard !messages.isEmpty else { return [] }
        var items = items
        if !items.contains(.uid) { items.insert(.uid, at: 0) }
        var merged = MergedFetches<SequenceNumber>()
        try await exclusive {
            try await send(.fetch(messages, items)) { response in
                guard case .fetch(let fetch) = response, messages.contains(fetch.sequenceNumber) else { return }
                merged.add(fetch, for: fetch.sequenceNumber)
            }
        }
        return merged.responses
    }

    /// Like `uidFetch`, handing each response to `body` as it arrives (for large bodies). If
    /// `body` throws, the rest of the answer is read and dropped, then the error is rethrown.
    public func uidFetchEach(_ uids: UIDSet, _ items: [FetchItem], _ body: (FetchResponse) async throws -> Void) async throws {
        var failure: (any Error)?
        try await fetch(uids, items) { response, _ in
            guard failure == nil else { return }
            do { try await body(response) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func fetch(_ uids: UIDSet, _ items: [FetchItem], _ deliver: (FetchResponse, UID) async throws -> Void) async throws {
        guard !uids.isEmpty else { return }
        var items = items
        if !items.contains(.uid) { items.insert(.uid, at: 0) }
        try await exclusive {
            for piece in try split(.uidFetch(uids, items)) {
                try await send(piece) { response in
                    if case .fetch(let fetch) = response, let uid = fetch.uid, uids.contains(uid) {
                        try await deliver(fetch, uid)
                    }
                }
            }
        }
    }

    /// UID STORE; returns the new flags per UID the server reported (nothing when `silent`).
    @discardableResult
    public func uidStore(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool = false) async throws -> [UID: [Flag]] {
        try await uidStoreReporting(uids, operation, silent: silent).mapValues(\.flags)
    }

    /// UID STORE; the new flags per UID the server reported, each with the MODSEQ it gave them
    /// (a session with CONDSTORE enabled reports it, RFC 7162 §3.1.4; nil otherwise).
    public func uidStoreReporting(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool = false) async throws -> [UID: StoredFlags] {
        guard !uids.isEmpty else { return [:] }
        return try await exclusive { try await storeLocked(uids, operation, silent: silent) }
    }

    @discardableResult
    func storeLocked(_ uids: UIDSet, _ operation: StoreOperation, silent: Bool) async throws -> [UID: StoredFlags] {
        var stored: [UID: StoredFlags] = [:]
        for piece in try split(.uidStore(uids, operation, silent: silent)) {
            try await send(piece) { response in
                if case .fetch(let fetch) = response, let uid = fetch.uid, uids.contains(uid), let new = fetch.flags {
                    stored[uid] = StoredFlags(flags: new, modSeq: fetch.modSeq)
                }
            }
        }
        return stored
    }

    /// Splits a command carrying a UID set into commands with lines under 1000 octets.
    func split(_ command: Command) throws -> [Command] {
        do {
            return try encoder.split(command)
        } catch {
            throw IMAPError.invalidArgument(error.description)
        }
    }
}

/// FETCH responses in arrival order, one per message: a server may answer one message in
/// several responses, whose items are joined.
struct MergedFetches<Key: Hashable> {
    private(set) var responses: [FetchResponse] = []
    private var index: [Key: Int] = [:]

    mutating func add(_ response: FetchResponse, for key: Key) {
        if let existing = index[key] {
            responses[existing].attributes += response.attributes
        } else {
            index[key] = responses.count
            responses.append(response)
        }
    }
}
