import Gateway
import IMAP
import IMAPClient
import MIME

/// FETCH data items as the in-memory store answers them.
enum FakeFetch {
    static func response(_ message: FakeMessage, sequence: Int, items: [FetchItem]) throws(IMAPError) -> FetchResponse {
        var attributes: [FetchAttribute] = []
        for item in items {
            switch item {
            case .uid: attributes.append(.uid(message.uid))
            case .flags: attributes.append(.flags(message.flags))
            case .envelope: attributes.append(.envelope(message.envelope))
            case .bodyStructure: attributes.append(.bodyStructure(structure(of: message)))
            case .rfc822Size: attributes.append(.rfc822Size(message.raw.count))
            case .internalDate: attributes.append(.internalDate(message.internalDate))
            case .modSeq: attributes.append(.modSeq(1))
            // The server's own preview (RFC 8970) is not modelled: NIL, as from a server that has none yet.
            case .preview: attributes.append(.preview(nil))
            // The in-memory store is no Gmail: it answers as a server without X-GM-EXT-1 does.
            case .gmailLabels, .gmailThreadID, .gmailMessageID:
                throw InMemoryMailSession.bad("UID FETCH", "the in-memory store does not offer X-GM-EXT-1")
            case .headerFields(let names):
                attributes.append(.body(section: "HEADER.FIELDS (\(names.joined(separator: " ")))", origin: nil,
                                        data: Array(message.header)))
            case .bodyPeek(let section, let partial):
                var data = try Array(bytes(of: message, section: section))
                if let partial { data = Array(data.dropFirst(partial.offset).prefix(partial.length)) }
                attributes.append(.body(section: section, origin: partial?.offset, data: data))
            }
        }
        // A server always names the UID in a UID FETCH; the client relies on it.
        if !attributes.contains(where: { if case .uid = $0 { true } else { false } }) {
            attributes.insert(.uid(message.uid), at: 0)
        }
        return FetchResponse(sequenceNumber: SequenceNumber(UInt32(sequence)), attributes: attributes)
    }

    /// `BODY[section]` of a message the store treats as a single part: "" (all), HEADER, TEXT,
    /// 1 (the body), HEADER.FIELDS (...) (the whole header, which holds the fields asked for).
    private static func bytes(of message: FakeMessage, section: String) throws(IMAPError) -> ArraySlice<UInt8> {
        switch section.uppercased() {
        case "": return message.raw[...]
        case "TEXT", "1": return message.text
        case let name where name.hasPrefix("HEADER"): return message.header
        default: throw InMemoryMailSession.bad("UID FETCH", "the in-memory store does not model BODY[\(section)]")
        }
    }

    /// One leaf part with the message's Content-Type (text/plain when it has none).
    private static func structure(of message: FakeMessage) -> BodyStructure {
        let parsed = MIMEMessage.parse(message.raw)
        let type = parsed.parts.first?.contentType
        let mime = (type?.mimeType ?? "text/plain").split(separator: "/").map(String.init)
        let parameters = (type?.parameters.pairs ?? [("charset", "us-ascii")]).map { BodyParameter(name: $0.name, value: $0.value) }
        let lines = message.text.filter { $0 == 10 }.count
        return .single(.init(type: mime.first ?? "text", subtype: mime.count > 1 ? mime[1] : "plain",
                             parameters: parameters, encoding: "7bit", size: message.text.count, lines: lines))
    }
}
