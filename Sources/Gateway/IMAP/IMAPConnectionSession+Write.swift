import IMAP
import IMAPClient

/// The write operations of `MailSession` on an `IMAPConnection`.
extension IMAPConnectionSession {
    func uidStore(_ uids: UIDSet, _ change: FlagChange, silent: Bool) async throws(MailFailure) -> [UID: [Flag]] {
        let operation: StoreOperation = switch change {
        case .add(let flags): .add(flags)
        case .remove(let flags): .remove(flags)
        case .replace(let flags): .replace(flags)
        }
        do { return try await connection.uidStore(uids, operation, silent: silent) } catch { throw Self.map(error) }
    }

    func uidCopy(_ uids: UIDSet, to folder: MailboxName) async throws(MailFailure) -> CopyMapping? {
        do { return Self.mapping(try await connection.uidCopy(uids, to: folder)) } catch { throw Self.map(error) }
    }

    func uidMove(_ uids: UIDSet, to folder: MailboxName) async throws(MailFailure) -> CopyMapping? {
        do { return Self.mapping(try await connection.uidMove(uids, to: folder)) } catch { throw Self.map(error) }
    }

    func uidExpunge(_ uids: UIDSet) async throws(MailFailure) {
        do { try await connection.uidExpunge(uids) } catch { throw Self.map(error) }
    }

    func append(to folder: MailboxName, flags: [Flag], date: String?, size: Int,
                body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws(MailFailure) -> AppendedMessage? {
        do {
            let result = try await connection.append(to: folder, flags: flags, date: date, size: size, body: body)
            return result.map { AppendedMessage(uidValidity: $0.uidValidity, uid: $0.uid) }
        } catch let error as MailFailure {
            throw error
        } catch {
            throw Self.map(error)
        }
    }

    func createFolder(_ folder: MailboxName) async throws(MailFailure) {
        do { try await connection.create(folder) } catch { throw Self.map(error) }
    }

    func deleteFolder(_ folder: MailboxName) async throws(MailFailure) {
        do { try await connection.delete(folder) } catch { throw Self.map(error) }
    }

    func renameFolder(_ folder: MailboxName, to newName: MailboxName) async throws(MailFailure) {
        do { try await connection.rename(folder, to: newName) } catch { throw Self.map(error) }
    }

    func setSubscribed(_ folder: MailboxName, _ subscribed: Bool) async throws(MailFailure) {
        do {
            if subscribed { try await connection.subscribe(folder) } else { try await connection.unsubscribe(folder) }
        } catch {
            throw Self.map(error)
        }
    }

    private static func mapping(_ result: CopyResult?) -> CopyMapping? {
        guard let result else { return nil }
        var destinations: [UID: UID] = [:]
        for pair in result.mapping { destinations[pair.source] = pair.destination }
        return CopyMapping(uidValidity: result.uidValidity, destinations: destinations)
    }
}
