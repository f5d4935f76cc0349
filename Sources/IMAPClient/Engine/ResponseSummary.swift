/// Short descriptions of responses for trace logs: message bodies and literals are not written out.
enum ResponseSummary {
    static func describe(_ response: Response) -> String {
        switch response {
        case .tagged(let tagged):
            return "\(tagged.tag) \(tagged.status.rawValue) \(IMAPError.describe(tagged.text))"
        case .continuation:
            return "+ (continuation)"
        case .untagged(let untagged):
            switch untagged {
            case .condition(let status, let text): return "* \(status.rawValue) \(IMAPError.describe(text))"
            case .capability(let list): return "* CAPABILITY \(list.map(\.rawValue).joined(separator: " "))"
            case .enabled(let list): return "* ENABLED \(list.map(\.rawValue).joined(separator: " "))"
            case .list(let list): return "* \(list.kind.rawValue) \(list.attributes) \(list.mailbox.displayName)"
            case .status(let mailbox, _): return "* STATUS \(mailbox.displayName)"
            case .flags(let flags): return "* FLAGS \(flags.map(\.rawValue))"
            case .exists(let count): return "* \(count) EXISTS"
            case .recent(let count): return "* \(count) RECENT"
            case .expunge(let number): return "* \(number) EXPUNGE"
            case .vanished(let earlier, let uids): return "* VANISHED\(earlier ? " (EARLIER)" : "") \(uids.wireText)"
            case .fetch(let fetch): return "* \(fetch.sequenceNumber) FETCH (\(fetch.attributes.count) items, UID \(fetch.uid.map { String($0.rawValue) } ?? "-"))"
            case .search(let numbers, _): return "* SEARCH (\(numbers.count) results)"
            case .esearch(let result): return "* ESEARCH (count \(result.count.map(String.init) ?? "-"))"
            case .namespace: return "* NAMESPACE"
            case .other(let name, let raw): return "* \(name) (\(raw.count) octets)"
            }
        }
    }
}
