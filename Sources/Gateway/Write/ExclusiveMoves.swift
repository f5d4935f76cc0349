import IMAP
import IMAPClient

/// Moves out of one folder of one account run one at a time. Two requests moving the same
/// message at once would otherwise both find it (each on its own pooled session) and both send
/// UID MOVE: Dovecot copies before it expunges, so the second session can copy the message
/// again before the first one's expunge reaches it, and the message ends up twice in the
/// destination (seen in DovecotRestartTests' movers). In turn, the second move looks the UID up
/// after the first has finished: its session then hears of the expunge, and the answer is 404.
struct ExclusiveMoves: Sendable {
    let gate: KeyedGate<MirrorKey>
    let key: MirrorKey

    func run<Result>(_ body: () async throws(IMAPError) -> Result) async throws(IMAPError) -> Result {
        await gate.lock(key)
        defer { gate.unlock(key) }
        return try await body()
    }
}

extension GatewayContext {
    /// The move gate of `caller`'s `folder` (keyed by account and folder, as mirrors are).
    func exclusiveMoves(_ caller: Caller, _ folder: MailboxName) -> ExclusiveMoves {
        ExclusiveMoves(gate: moveGates, key: mirrorKey(caller, folder: folder.description))
    }
}
