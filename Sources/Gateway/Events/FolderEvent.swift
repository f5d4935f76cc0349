import Foundation
import HTTPServer
import IMAP

/// One change of a folder as `GET /folders/{folder}/events` reports it. UIDs only: sequence
/// numbers shift with every expunge, so they are never exposed.
enum FolderEvent: Sendable, Equatable {
    /// The folder as EXAMINE found it; always first.
    case ready(folder: String, uidValidity: UInt32, uidNext: UInt32, exists: Int)
    /// Messages that arrived (at most `maxUIDsPerEvent` per event).
    case new(uids: [UInt32])
    /// Messages that were expunged (QRESYNC's VANISHED).
    case expungedUIDs([UInt32])
    /// Without QRESYNC the server names no UIDs: only the new message count.
    case expungedCount(exists: Int)
    /// A message's flags as they are now.
    case flags(uid: UInt32, flags: [String])
    /// The folder's UIDVALIDITY changed: every UID the client knows is void; the stream ends.
    case reset(uidValidity: UInt32)
    /// IMAP failed mid-stream; a problem document. The stream ends.
    case error(HTTPError)

    /// Keeps each event's data line, and the memory to build it, small.
    static let maxUIDsPerEvent = 500

    static func == (lhs: FolderEvent, rhs: FolderEvent) -> Bool { lhs.frame == rhs.frame }

    var name: String {
        switch self {
        case .ready: "ready"
        case .new: "new"
        case .expungedUIDs, .expungedCount: "expunged"
        case .flags: "flags"
        case .reset: "reset"
        case .error: "error"
        }
    }

    /// The event as SSE bytes.
    var frame: [UInt8] { ServerSentEvent.frame(event: name, json: json) }

    private var json: [UInt8] {
        switch self {
        case .ready(let folder, let uidValidity, let uidNext, let exists):
            return Self.encode(Ready(folder: folder, uidValidity: uidValidity, uidNext: uidNext, exists: exists))
        case .new(let uids), .expungedUIDs(let uids):
            return Self.encode(UIDList(uids: uids))
        case .expungedCount(let exists):
            return Self.encode(Count(exists: exists))
        case .flags(let uid, let flags):
            return Self.encode(Flags(uid: uid, flags: flags))
        case .reset(let uidValidity):
            return Self.encode(Reset(uidValidity: uidValidity))
        case .error(let problem):
            if case .bytes(let bytes) = problem.response.body { return bytes }
            return Array(#"{"type":"about:blank","title":"Internal Server Error","status":500}"#.utf8)
        }
    }

    /// The UIDs of `set` in pieces of at most `maxUIDsPerEvent`, in the order the set lists
    /// them, without expanding a large range at once (a VANISHED may name 1:100000).
    static func forEachChunk<Failure: Error>(
        of set: UIDSet, _ body: ([UInt32]) async throws(Failure) -> Void
    ) async throws(Failure) {
        var chunk: [UInt32] = []
        chunk.reserveCapacity(maxUIDsPerEvent)
        for range in set.ranges {
            let upper = range.upper ?? range.lower
            let (low, high) = (min(range.lower.rawValue, upper.rawValue), max(range.lower.rawValue, upper.rawValue))
            var uid = low
            while true {
                chunk.append(uid)
                if chunk.count == maxUIDsPerEvent {
                    try await body(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
                if uid == high { break }
                uid += 1
            }
        }
        if !chunk.isEmpty { try await body(chunk) }
    }

    private struct Ready: Encodable { let folder: String; let uidValidity: UInt32; let uidNext: UInt32; let exists: Int }
    private struct UIDList: Encodable { let uids: [UInt32] }
    private struct Count: Encodable { let exists: Int }
    private struct Flags: Encodable { let uid: UInt32; let flags: [String] }
    private struct Reset: Encodable { let uidValidity: UInt32 }

    private static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return (try? encoder.encode(value)).map { Array($0) } ?? Array("{}".utf8)
    }
}
