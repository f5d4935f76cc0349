import Foundation
import IMAP
import IMAPClient

/// The members of a message summary a client can ask for with `?fields=`, and the one place that
/// describes each: its JSON key (the raw value), the FETCH items it needs, and its value. The
/// list writer, the `Encodable` form (inside a full message) and the FETCH a page sends are all
/// driven from here, so a new field is one case and two switch arms in this file.
public enum SummaryField: String, CaseIterable, Sendable, Hashable, CodingKey {
    case uid, messageId, subject, from, to, cc, replyTo, inReplyTo, sentAt, receivedAt, flags, size, hasAttachment, preview
    /// Gmail's labels and ids (`GmailJSON`): only from a server with X-GM-EXT-1, where the list
    /// route adds it to the defaults (`GatewayContext.gmailFields`).
    case gmail

    /// Everything but `preview`, which costs a body fetch per message, and `gmail`, which only
    /// Gmail can answer.
    public static let defaults: Set<SummaryField> = Set(allCases).subtracting([.preview, .gmail])

    /// Parses `fields=uid,subject,preview`; `uid` is always included. Throws the unknown name.
    public static func parse(_ list: String?) throws(UnknownField) -> Set<SummaryField> {
        guard let list, !list.isEmpty else { return defaults }
        var fields: Set<SummaryField> = [.uid]
        for name in list.split(separator: ",") {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let field = SummaryField(rawValue: trimmed) else { throw UnknownField(name: trimmed) }
            fields.insert(field)
        }
        return fields
    }

    /// A `fields=` entry that names no summary member.
    public struct UnknownField: Error, Sendable {
        public let name: String
    }

    /// The FETCH items this member is read from (`preview` needs the structure to find the text
    /// part; its bytes are fetched separately, see Previews.swift).
    var fetchItems: [FetchItem] {
        switch self {
        case .uid: [.uid]
        case .messageId, .subject, .from, .to, .cc, .replyTo, .inReplyTo, .sentAt: [.envelope]
        case .receivedAt: [.internalDate]
        case .flags: [.flags]
        case .size: [.rfc822Size]
        case .hasAttachment, .preview: [.bodyStructure]
        case .gmail: GmailJSON.fetchItems
        }
    }

    /// This member's value in `summary`.
    func value(in summary: MessageSummaryJSON) -> SummaryValue {
        switch self {
        case .uid: .integer(Int(summary.uid))
        case .messageId: .string(summary.messageId)
        case .subject: .string(summary.subject)
        case .from: .addresses(summary.from)
        case .to: .addresses(summary.to)
        case .cc: .addresses(summary.cc)
        case .replyTo: .addresses(summary.replyTo)
        case .inReplyTo: .string(summary.inReplyTo)
        case .sentAt: .string(summary.sentAt)
        case .receivedAt: .string(summary.receivedAt)
        case .flags: .strings(summary.flags)
        case .size: .integer(summary.size)
        case .hasAttachment: .bool(summary.hasAttachment)
        case .preview: .string(summary.preview)
        case .gmail: .gmail(summary.gmail)
        }
    }

    /// The FETCH items a summary with `fields` needs, each once.
    static func fetchItems(for fields: Set<SummaryField>) -> [FetchItem] {
        var items: [FetchItem] = []
        for field in allCases where field == .uid || fields.contains(field) {
            for item in field.fetchItems where !items.contains(item) { items.append(item) }
        }
        return items
    }

    /// Sorted by key, the order `encodeJSON` writes members in.
    static let inKeyOrder: [SummaryField] = allCases.sorted { $0.rawValue < $1.rawValue }

    /// A bit per field, for testing membership without hashing on the hot path.
    var bit: UInt32 { 1 << UInt32(Self.allCases.firstIndex(of: self)!) }
}

/// One summary member's value, as both JSON writers write it.
enum SummaryValue: Encodable {
    case string(String?)
    case integer(Int?)
    case bool(Bool)
    case strings([String])
    case addresses([AddressJSON])
    case gmail(GmailJSON?)

    func write(to writer: inout JSONWriter) {
        switch self {
        case .string(let value): writer.string(value)
        case .integer(let value): writer.integer(value)
        case .bool(let value): writer.bool(value)
        case .strings(let values): writer.strings(values)
        case .addresses(let addresses): AddressJSON.write(addresses, to: &writer)
        case .gmail(let gmail):
            (gmail ?? GmailJSON.none).write(to: &writer)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .strings(let values): try container.encode(values)
        case .addresses(let addresses): try container.encode(addresses)
        case .gmail(let gmail): try container.encode(gmail ?? GmailJSON.none)
        }
    }
}
