import Foundation
import Gateway
import IMAP
import IMAPClient

/// SEARCH keys as the in-memory store evaluates them: flags, keywords, UID and sequence sets,
/// size, and header/body text (case-insensitive substring, as Dovecot matches). Dates and MODSEQ
/// are not modelled: a test that needs them belongs with the real Dovecot.
enum FakeSearch {
    static func matches(_ key: SearchKey, _ message: FakeMessage, sequence: Int, in folder: FakeFolder) throws(IMAPError) -> Bool {
        let flags = message.flags
        switch key {
        case .all: return true
        case .answered: return flags.contains(.answered)
        case .unanswered: return !flags.contains(.answered)
        case .deleted: return flags.contains(.deleted)
        case .undeleted: return !flags.contains(.deleted)
        case .draft: return flags.contains(.draft)
        case .undraft: return !flags.contains(.draft)
        case .flagged: return flags.contains(.flagged)
        case .unflagged: return !flags.contains(.flagged)
        case .seen: return flags.contains(.seen)
        case .unseen: return !flags.contains(.seen)
        case .keyword(let flag): return flags.contains(flag)
        case .unkeyword(let flag): return !flags.contains(flag)
        case .from(let text): return contains(message.envelope.from, text)
        case .to(let text): return contains(message.envelope.to, text)
        case .cc(let text): return contains(message.envelope.cc, text)
        case .bcc(let text): return contains(message.envelope.bcc, text)
        case .subject(let text): return contains(message.envelope.subject ?? "", text)
        case .body(let text): return contains(String(decoding: message.text, as: UTF8.self), text)
        case .text(let text): return contains(String(decoding: message.raw, as: UTF8.self), text)
        case .larger(let size): return message.raw.count > size
        case .smaller(let size): return message.raw.count < size
        case .uid(let set): return contains(set, message.uid.rawValue, largest: folder.messages.last?.uid.rawValue ?? 0)
        case .sequence(let set): return contains(set, UInt32(sequence), largest: UInt32(folder.messages.count))
        case .not(let inner): return try !matches(inner, message, sequence: sequence, in: folder)
        case .or(let a, let b):
            // Not `||`: its autoclosure would widen the typed error to `any Error`.
            if try matches(a, message, sequence: sequence, in: folder) { return true }
            return try matches(b, message, sequence: sequence, in: folder)
        case .and(let keys):
            for inner in keys where try !matches(inner, message, sequence: sequence, in: folder) { return false }
            return true
        default:
            throw InMemoryMailSession.bad("UID SEARCH", "the in-memory store does not model \(key)")
        }
    }

    /// Whether `set` holds `number`, reading `*` as the server does: the largest number in use,
    /// so `n:*` holds that largest number even when it is below n.
    static func contains<ID: MessageIdentifier>(_ set: MessageSet<ID>, _ number: UInt32, largest: UInt32) -> Bool {
        set.ranges.contains { range in
            let lower = range.lower.rawValue
            let upper = range.upper?.rawValue ?? largest
            return (min(lower, upper)...max(lower, upper)).contains(number)
        }
    }

    private static func contains(_ haystack: String, _ needle: String) -> Bool {
        haystack.range(of: needle, options: .caseInsensitive) != nil || needle.isEmpty
    }

    private static func contains(_ addresses: [EnvelopeAddress], _ needle: String) -> Bool {
        addresses.contains { address in
            contains([address.name, address.email].compactMap { $0 }.joined(separator: " "), needle)
        }
    }
}
