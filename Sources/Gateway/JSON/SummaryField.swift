import Foundation

/// The members of a message summary a client can ask for with `?fields=`.
public enum SummaryField: String, CaseIterable, Sendable, Hashable {
    case uid, messageId, subject, from, to, cc, replyTo, inReplyTo, sentAt, receivedAt, flags, size, hasAttachment, preview

    /// Everything but `preview`, which costs a body fetch per message.
    public static let defaults: Set<SummaryField> = Set(allCases).subtracting([.preview])

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
}
