import IMAP
import Sockets

/// Whole raw messages recently read, so that opening a message twice fetches it once.
///
/// A message's bytes never change for a given UIDVALIDITY and UID (RFC 3501 §2.3.1.1), so an
/// entry needs no revalidation: a recreated folder has another UIDVALIDITY and misses. Flags do
/// change and are never cached here. Entries are filed under the account key (user + hash of the
/// secret), so one caller's cache never answers another's request. Memory is bounded by
/// `maxBytes` in total and `maxMessageBytes` per message; the least recently used go first.
public final class MessageBodyCache: Sendable {
    /// Where a message lives; everything that makes its bytes immutable.
    struct Key: Hashable, Sendable {
        let account: AccountKey
        let folder: [UInt8]
        let uidValidity: UIDValidity
        let uid: UID
    }

    private struct Entry {
        var bytes: [UInt8]
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var totalBytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    /// The budget over all entries; 0 turns the cache off.
    public let maxBytes: Int
    /// Larger messages are never kept.
    public let maxMessageBytes: Int
    private let state = Protected(State())

    public init(maxBytes: Int, maxMessageBytes: Int) {
        self.maxBytes = max(0, maxBytes)
        self.maxMessageBytes = max(0, min(maxMessageBytes, maxBytes))
    }

    /// The message's bytes when cached (and counts a hit, or a miss when `countingMiss`: a
    /// caller that goes on to a lookup that counts passes false, so one read is one miss).
    func bytes(for key: Key, countingMiss: Bool = true) -> [UInt8]? {
        state.withLock { state in
            state.clock &+= 1
            guard var entry = state.entries[key] else {
                if countingMiss { state.misses += 1 }
                return nil
            }
            state.hits += 1
            entry.lastUse = state.clock
            let bytes = entry.bytes
            state.entries[key] = entry
            return bytes
        }
    }

    /// Keeps `bytes` unless they exceed the per-message limit; evicts the least recently used
    /// entries until the total fits.
    func store(_ bytes: [UInt8], for key: Key) {
        guard !bytes.isEmpty, bytes.count <= maxMessageBytes else { return }
        state.withLock { state in
            state.clock &+= 1
            if let old = state.entries[key] { state.totalBytes -= old.bytes.count }
            state.entries[key] = Entry(bytes: bytes, lastUse: state.clock)
            state.totalBytes += bytes.count
            while state.totalBytes > maxBytes, let victim = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.totalBytes -= victim.value.bytes.count
                state.entries[victim.key] = nil
            }
        }
    }

    /// Figures for `/metrics`.
    public var counts: (entries: Int, bytes: Int, hits: Int, misses: Int) {
        state.withLock { ($0.entries.count, $0.totalBytes, $0.hits, $0.misses) }
    }
}
