import IMAP
import IMAPClient
import MIME

/// Reading a message too large to fetch whole: its header, its text parts, and the list of
/// attachments from BODYSTRUCTURE.
enum LargeMessage {
    static func read(_ uid: UID, structure: BodyStructure, session: any MailSession) async throws -> MessageJSON {
        let textParts = structure.leafParts.filter {
            $0.part.type == "text" && ($0.part.subtype == "plain" || $0.part.subtype == "html") && !$0.part.isAttachmentLike
        }
        let fields: [FetchItem] = [.uid, .bodyPeek(section: "HEADER", partial: nil)]
            + textParts.map { .bodyPeek(section: $0.partId, partial: nil) }
        let response = try await MessageLookup.fetch(uid, fields, folder: "", session: session)
        var message = MessageJSON(MIMEMessage.parse(response.body(section: "HEADER") ?? []), uid: uid)
        var problems = message.summary.decodingProblems
        var plain: [String] = [], html: [String] = []
        for (partId, part) in textParts {
            var decoder = TransferDecoder(encoding: ContentTransferEncoding(headerValue: part.encoding))
            let bytes = decoder.decode(response.body(section: partId) ?? []) + decoder.finish()
            let decoded = Charset.decode(bytes, charset: part.parameter("charset"))
            if let problem = decoded.problem, !problems.contains(problem) { problems.append(problem) }
            if part.subtype == "plain" { plain.append(decoded.string) } else { html.append(decoded.string) }
        }
        message.textBody = plain.isEmpty ? nil : plain.joined(separator: "\n")
        message.htmlBody = html.isEmpty ? nil : html.joined(separator: "\n")
        message.summary.preview = message.textBody.map { TextPreview.preview(text: $0) }
            ?? message.htmlBody.map { TextPreview.preview(html: $0) } ?? ""
        message.summary.decodingProblems = problems
        message.attachments = structure.attachmentParts.map { partId, part in
            AttachmentJSON(partId: partId, filename: part.filename, contentType: "\(part.type)/\(part.subtype)",
                           size: part.size, disposition: part.disposition?.kind ?? (part.id == nil ? "attachment" : "inline"),
                           contentId: part.id.map(ContentID.strip), href: "")
        }
        message.truncated = true
        return message
    }
}

/// Content-IDs without their angle brackets, as `cid:` URLs use them.
enum ContentID {
    static func strip(_ raw: String) -> String {
        var value = raw.trimmingASCIISpaces
        if value.hasPrefix("<"), value.hasSuffix(">"), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        return value
    }
}
