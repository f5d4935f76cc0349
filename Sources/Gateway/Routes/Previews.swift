import IMAP
import MIME

/// Preview text for list items: the first bytes of each message's first text part, decoded.
///
/// Costs one FETCH per distinct section number (usually one or two per page), which is why
/// `preview` is only sent when `fields=` asks for it.
enum Previews {
    /// How much of a text part is read for its preview.
    static let bytesPerPreview = 2048

    static func fetch(for messages: [(UID, FetchResponse)], session: any MailSession) async throws -> [UID: String] {
        var bySection: [String: [(UID, BodyStructure.SinglePart)]] = [:]
        for (uid, response) in messages {
            guard let structure = response.bodyStructure else { continue }
            let texts = structure.leafParts.filter { $0.part.type == "text" && !$0.part.isAttachmentLike }
            guard let chosen = texts.first(where: { $0.part.subtype == "plain" }) ?? texts.first else { continue }
            bySection[chosen.partId, default: []].append((uid, chosen.part))
        }
        var previews: [UID: String] = [:]
        for (section, parts) in bySection {
            let responses = try await session.uidFetch(
                UIDSet(parts.map(\.0)).compacted(), [.uid, .bodyPeek(section: section, partial: (offset: 0, length: bytesPerPreview))])
            let partByUID = Dictionary(parts, uniquingKeysWith: { first, _ in first })
            for response in responses {
                guard let uid = response.uid, let part = partByUID[uid], let bytes = response.body(section: section) else { continue }
                var decoder = TransferDecoder(encoding: ContentTransferEncoding(headerValue: part.encoding))
                // A cut-off chunk may end inside an encoded unit or a character: both are dropped
                // or replaced quietly; a preview is a hint, not content.
                let decoded = decoder.decode(bytes) + decoder.finish()
                let text = Charset.decode(decoded, charset: part.parameter("charset")).string
                previews[uid] = part.subtype == "html" ? TextPreview.preview(html: text) : TextPreview.preview(text: text)
            }
        }
        return previews
    }
}
