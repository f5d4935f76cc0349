import IMAP
import IMAPClient
import Sockets

/// Which pooled sessions' views of a folder a mirror is known to equal, so that an unwatched read
/// can revalidate with the NOOP alone.
///
/// A view version (`MailboxViewVersion`) stays the same while its session hears of no change to
/// the folder and makes none. A mirror is noted here for a session's version when a sync on that
/// session brought it level with the session's view and the sync's own commands told the session
/// nothing new (a quiet sync: an empty `CHANGEDSINCE` answer); a sync that did hear of changes is
/// not noted, because the server may have told of a change in a form the sync could not apply (a
/// flag update without a UID, as Dovecot sends with CONDSTORE alone). Later, after a NOOP on the
/// same session: the same version means the server reported no change since, and an unchanged
/// mirror (the same `Fingerprint`) still equals the folder. Any change to the mirror (a sync on
/// another session, the watcher, a write through the gateway, the background fill) changes the
/// fingerprint and voids what was noted for it.
///
/// In plain mode (neither CONDSTORE nor QRESYNC) the sync's FLAGS fetch always answers, so it
/// is never quiet and reads keep their two commands.
final class VerifiedViews: Sendable {
    /// What identifies the mirror's content for this purpose: every change to it (messages, flags,
    /// identifiers, covered range, an awaited UID) changes one of these.
    struct Fingerprint: Hashable, Sendable {
        var state: MirrorState
        var uidNext: UID
        var highestModSeq: ModSequence?
        var coveredFrom: UID
        var awaitedUID: UID?
        var count: Int

        init(_ mirror: FolderMirror) {
            state = mirror.state
            uidNext = mirror.uidNext
            highestModSeq = mirror.highestModSeq
            coveredFrom = mirror.coveredFrom
            awaitedUID = mirror.awaitedUID
            count = mirror.messages.count
        }
    }

    private struct Entry {
        var fingerprint: Fingerprint
        var versions: [MailboxViewVersion]
    }

    /// Versions kept per folder: a few pooled sessions share one (`--pool-per-account`, 3).
    private static let versionsPerFolder = 8
    /// Folders kept: past this the notes are forgotten (a read then syncs once more).
    private static let folderLimit = 4_096

    private let entries = Protected<[MirrorKey: Entry]>([:])

    /// Whether the mirror, as `fingerprint` says it is now, was noted level with `version`.
    func isLevel(_ key: MirrorKey, version: MailboxViewVersion?, fingerprint: Fingerprint?) -> Bool {
        // A message a write created and the mirror still awaits is a change by definition.
        guard let version, let fingerprint, fingerprint.awaitedUID == nil else { return false }
        return entries.withLock { entries in
            guard let entry = entries[key], entry.fingerprint == fingerprint else { return false }
            return entry.versions.contains(version)
        }
    }

    /// Notes that the mirror, as `fingerprint` says it is now, equals the view of the session
    /// whose version is `version`.
    func note(_ key: MirrorKey, version: MailboxViewVersion?, fingerprint: Fingerprint?) {
        guard let version, let fingerprint else { return }
        entries.withLock { entries in
            if entries[key] == nil, entries.count >= Self.folderLimit { entries.removeAll() }
            guard var entry = entries[key], entry.fingerprint == fingerprint else {
                entries[key] = Entry(fingerprint: fingerprint, versions: [version])
                return
            }
            guard !entry.versions.contains(version) else { return }
            entry.versions.append(version)
            if entry.versions.count > Self.versionsPerFolder { entry.versions.removeFirst() }
            entries[key] = entry
        }
    }
}
