import IMAP
import IMAPClient
import Sockets

/// What a batch had done when its IMAP connection was lost, so that its answer can say per UID
/// what is known instead of one 502 for the whole batch (issue 13).
///
/// The batch notes which UIDs existed and whether its changing command went out; after the loss
/// a new session looks at the folder again: a UID no longer in the source after a move or an
/// expunge was done, one still there was not; flags are read back and compared with the change.
/// Only a copy whose command went out cannot be told apart (the source is unchanged either way):
/// those UIDs are answered `outcome-unknown`.
final class BatchProgress: Sendable {
    private struct State {
        /// The UIDs that existed before the change (nil until known).
        var present: Set<UID>?
        /// Whether the changing command (STORE, MOVE, COPY, EXPUNGE) was sent.
        var sent = false
    }

    private let state = Protected(State())

    func existed(_ uids: Set<UID>) { state.withLock { $0.present = uids } }
    func sending() { state.withLock { $0.sent = true } }

    var present: Set<UID>? { state.withLock { $0.present } }
    var sent: Bool { state.withLock { $0.sent } }
}

/// A UID's result when the batch was cut short.
enum BatchRecheck {
    /// Whether `error` leaves a batch's outcome open: the connection died or a command's answer
    /// never came, so the server may have done part of it.
    static func cutsShort(_ error: IMAPError) -> Bool {
        if case .timedOut = error { return true }
        return error.isConnectionLoss
    }

    /// Re-checks `uids` of `action` on `session` (the folder selected) after a lost connection.
    static func outcomes(_ uids: [UID], action: BatchAction, progress: BatchProgress,
                         on session: any MailSession) async throws -> [UID: WriteOutcome] {
        let now = try await MessageWrites(session: session).existing(uids)
        let before = progress.present
        var outcomes: [UID: WriteOutcome] = [:]
        switch action {
        case .flags(let changes):
            let expectation = FlagExpectation(changes)
            let fetched = now.isEmpty ? [] : try await session.uidFetch(UIDSet(Array(now)).compacted(), [.uid, .flags])
            var flags: [UID: [Flag]] = [:]
            for response in fetched { if let uid = response.uid { flags[uid] = response.flags ?? [] } }
            for uid in uids {
                guard let current = flags[uid] else { outcomes[uid] = .notFound; continue }
                outcomes[uid] = expectation.isMet(by: current) ? .flags(current) : .notDone
            }
        case .move, .copy, .delete:
            for uid in uids {
                if let before, !before.contains(uid) {
                    outcomes[uid] = .notFound  // answered without the server, as in a whole batch
                } else if !progress.sent {
                    outcomes[uid] = now.contains(uid) ? .notDone : .notFound
                } else if case .copy = action {
                    outcomes[uid] = now.contains(uid) ? .unknown : .notFound
                } else if now.contains(uid) {
                    outcomes[uid] = .notDone
                } else if before == nil {
                    outcomes[uid] = .unknown  // gone, but was it there before?
                } else if case .move(let target) = action {
                    outcomes[uid] = .transferred(folder: target.displayName, uid: nil)
                } else if case .delete(permanent: true) = action {
                    outcomes[uid] = .deleted
                } else {
                    outcomes[uid] = .deleted  // moved to the trash folder
                }
            }
        }
        return outcomes
    }
}
