import HTTPServer
import IMAP
import IMAPClient

/// `GET /folders/{folder}/messages/{uid}` from a folder mirror: what a message's JSON takes
/// besides its raw bytes (flags, size, INTERNALDATE, whether it has attachments) is a mirror row,
/// and the bytes are immutable (`MessageBodyCache`), so a watched folder answers without IMAP.
extension GatewayContext {
    /// What the mirror of a watched folder says about one UID.
    enum WatchedMessage: Sendable {
        /// The mirror holds the message: its row, under the folder's UIDVALIDITY.
        case row(MirrorMessage, uidValidity: UIDValidity)
        /// Below the mirror's UIDNEXT and not in the mirror: expunged (or never existed), as of
        /// the watcher's last sync (the staleness bound of every watched read).
        case gone
        /// At or above UIDNEXT: it may have arrived since the watcher's last sync; ask IMAP.
        case unknown
    }

    /// The watched mirror's word on `uid`; nil unless the folder is watched and its mirror may be
    /// read without revalidating (`watchedMirror`), and never on Gmail (a message's JSON carries
    /// its labels there, which a mirror does not hold).
    func watchedMessage(_ request: HTTPRequest, _ caller: Caller, folder: String, uid: UID) throws -> WatchedMessage? {
        guard watchers?.serverOffersGmail == false else { return nil }
        return try watchedMirror(request, caller, folder: folder) { mirror -> WatchedMessage in
            if let row = mirror.message(uid) { return .row(row, uidValidity: mirror.uidValidity) }
            return uid < mirror.uidNext ? .gone : .unknown
        }
    }

    /// The size of message `uid` as any mirror of the folder holds it (watched or not, current or
    /// not: RFC822.SIZE never changes for a UIDVALIDITY and UID); nil when no mirror has it.
    func mirroredSize(_ caller: Caller, folder: String, uidValidity: UIDValidity, uid: UID) -> Int? {
        guard let mirrors else { return nil }
        return mirrors.store.read(mirrorKey(caller, folder: folder)) { mirror -> Int? in
            guard mirror.uidValidity == uidValidity else { return nil }
            return mirror.message(uid)?.summary.size
        } ?? nil
    }

    /// Whether the folder's mirror (any, current or not: this only picks the first command, see
    /// `MessageWrites.changeFlags(_:_:likelyMet:)`) shows message `uid` with flags that already
    /// meet `changes`.
    func flagsLikelyMet(_ caller: Caller, folder: String, state: SelectedMailbox, uid: UID, _ changes: [StoreOperation]) -> Bool {
        guard let mirrors, let uidValidity = state.uidValidity else { return false }
        let flags = mirrors.store.read(mirrorKey(caller, folder: folder)) { mirror -> [String]? in
            mirror.uidValidity == uidValidity ? mirror.message(uid)?.flags : nil
        } ?? nil
        return flags.map { FlagExpectation(changes).isMet(by: $0.map(Flag.init)) } ?? false
    }
}
