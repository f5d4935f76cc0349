extension IMAPConnection {
    /// APPEND streaming `size` octets from `body` (chunks of any size). Returns after the server's
    /// tagged OK, with the APPENDUID when reported. If `body` yields more or fewer octets than
    /// `size`, the connection cannot be recovered: it is closed and `invalidArgument` thrown.
    /// `date` is an IMAP date-time such as `17-Jul-1996 02:44:25 -0700`.
    public func append(
        to mailbox: MailboxName, flags: [Flag], date: String?, size: Int,
        body: some AsyncSequence<[UInt8], any Error> & Sendable
    ) async throws -> AppendResult? {
        try await exclusive {
            let tagged = try await send(.append(mailbox, flags: flags, date: date, size: size), message: { write in
                var sent = 0
                for try await chunk in body {
                    guard sent + chunk.count <= size else {
                        throw IMAPError.invalidArgument("APPEND body is longer than the announced \(size) octets")
                    }
                    if !chunk.isEmpty { try await write(chunk) }
                    sent += chunk.count
                }
                guard sent == size else {
                    throw IMAPError.invalidArgument("APPEND body ended after \(sent) of the announced \(size) octets")
                }
            })
            guard case .appendUID(let validity, let uids) = tagged.text.code, let uid = uids.ranges.first?.lower else { return nil }
            return AppendResult(uidValidity: validity, uid: uid)
        }
    }

    /// APPEND of a message held in memory.
    public func append(to mailbox: MailboxName, message: [UInt8], flags: [Flag] = [], date: String? = nil) async throws -> AppendResult? {
        let chunkSize = 64 * 1024
        let chunks = stride(from: 0, to: message.count, by: chunkSize).map { Array(message[$0..<min($0 + chunkSize, message.count)]) }
        let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
        return try await append(to: mailbox, flags: flags, date: date, size: message.count, body: stream)
    }
}
