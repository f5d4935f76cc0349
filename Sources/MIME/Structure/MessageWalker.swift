/// Walks the MIME tree of a message and fills a `MIMEMessage`.
///
/// Part ids follow RFC 3501 §6.4.5: the children of a multipart are numbered from 1 under the
/// multipart's own id; a message whose body is not multipart has its body as part "1"; the
/// body of a message/rfc822 part `N` is numbered like a message of its own under `N`
/// (`N.1`, `N.2`...).
struct MessageWalker {
    private let bytes: [UInt8]
    private var problems: [String] = []
    private var problemSet = Set<String>()
    private var suppressedProblems = 0
    private var textParts: [String] = []
    private var htmlParts: [String] = []
    private var attachments: [MIMEAttachment] = []
    private var attachedMessages: [AttachedMessage] = []
    private var parts: [MIMEPart] = []

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses the message in `bytes[range]`, numbering its parts under `prefix` ("" at top level).
    static func parseMessage(_ bytes: [UInt8], range: Range<Int>, prefix: String, depth: Int) -> MIMEMessage {
        var walker = MessageWalker(bytes: bytes)
        let section = HeaderSection(bytes: bytes, range: range)
        var headers: [MIMEHeader] = []
        headers.reserveCapacity(section.fields.count)
        for field in section.fields {
            var fieldProblems: [String] = []
            let utf8 = MIMEHeaderDecoder.utf8Bytes(of: field.value, problems: &fieldProblems)
            let value = EncodedWord.decode(utf8: utf8, problems: &fieldProblems)
            walker.report(fieldProblems, context: "header \(field.name)")
            headers.append(MIMEHeader(name: field.name, value: value, rawValue: String(utf8Bytes: utf8)))
        }
        if section.fields.count >= HeaderSection.maxFieldCount {
            walker.note("more than \(HeaderSection.maxFieldCount) header fields; the rest were ignored")
        }
        walker.walk(fields: section.fields, body: section.bodyStart..<max(section.bodyStart, range.upperBound),
                    id: prefix, isMessageRoot: true, defaultType: .defaultPlainText, depth: depth)
        return walker.message(headers: headers, fields: section.fields)
    }

    // MARK: - Tree walk

    private mutating func walk(fields: [RawHeaderField], body: Range<Int>, id: String, isMessageRoot: Bool,
                               defaultType: ContentType, depth: Int) {
        var fieldProblems: [String] = []
        let contentTypeField = fields.first { $0.name.lowercased() == "content-type" }
        var contentType = defaultType
        if let contentTypeField {
            if let parsed = ContentType.parse(contentTypeField.value, problems: &fieldProblems) {
                contentType = parsed
            } else {
                fieldProblems.append("unparseable Content-Type \"\(String(utf8Bytes: contentTypeField.value))\"; read as \(defaultType.mimeType)")
            }
        }
        let partLabel = isMessageRoot ? (id.isEmpty ? "message" : "message in part \(id)") : "part \(id)"
        report(fieldProblems, context: partLabel)

        if contentType.isMultipart && depth < MIMEMessage.maxDepth {
            if walkMultipart(contentType: contentType, body: body, id: id, depth: depth, label: partLabel) { return }
            // No usable parts: fall back to reading the body as plain text so nothing is lost.
            contentType = .defaultPlainText
        } else if contentType.isMultipart {
            note("\(partLabel): nesting deeper than \(MIMEMessage.maxDepth) levels; not walked into")
        }
        let leafId = isMessageRoot ? join(id, "1") : id
        leaf(fields: fields, contentType: contentType, body: body, id: leafId, depth: depth)
    }

    /// Returns false when the multipart has no usable structure (no boundary, no parts).
    private mutating func walkMultipart(contentType: ContentType, body: Range<Int>, id: String, depth: Int, label: String) -> Bool {
        guard let boundary = contentType.boundary, !boundary.isEmpty else {
            note("\(label): \(contentType.mimeType) without boundary parameter; body read as text/plain")
            return false
        }
        let split = MultipartSplitter.split(bytes, range: body, boundary: Array(boundary.utf8))
        guard !split.parts.isEmpty else {
            note("\(label): boundary \"\(boundary)\" never occurs; body read as text/plain")
            return false
        }
        if split.hitPartLimit {
            note("\(label): more than \(MultipartSplitter.maxParts) parts; the rest were ignored")
        } else if !split.isClosed {
            note("\(label): closing boundary missing (message truncated?)")
        }
        let childDefault = contentType.subtype == "digest"
            ? ContentType(type: "message", subtype: "rfc822")
            : ContentType.defaultPlainText
        for (offset, range) in split.parts.enumerated() {
            let section = HeaderSection(bytes: bytes, range: range)
            walk(fields: section.fields, body: section.bodyStart..<max(section.bodyStart, range.upperBound),
                 id: join(id, String(offset + 1)), isMessageRoot: false, defaultType: childDefault, depth: depth + 1)
        }
        return true
    }

    private mutating func leaf(fields: [RawHeaderField], contentType: ContentType, body: Range<Int>, id: String, depth: Int) {
        var fieldProblems: [String] = []
        let encoding = ContentTransferEncoding(headerValue: field("content-transfer-encoding", in: fields).map { String(utf8Bytes: $0) })
        if case .other(let token) = encoding {
            fieldProblems.append("unknown Content-Transfer-Encoding \"\(token)\"; content passed through undecoded")
        }
        let disposition = field("content-disposition", in: fields).map { ContentDisposition.parse($0, problems: &fieldProblems) }
        let contentId = field("content-id", in: fields).map(Self.contentId)
        let filename = nonEmpty(disposition?.filename) ?? nonEmpty(contentType.name)
        report(fieldProblems, context: "part \(id)")

        let isAttachmentDisposition = disposition?.kind == "attachment"
        let isBodyText = contentType.type == "text" && (contentType.subtype == "plain" || contentType.subtype == "html")
            && !isAttachmentDisposition && filename == nil
        let isMessage = contentType.type == "message" && (contentType.subtype == "rfc822" || contentType.subtype == "global")

        if isBodyText {
            let decoded = encoding.decode(bytes[body])
            // HTML often declares its charset only in a <meta> tag.
            let charset = contentType.charset ?? (role(of: contentType) == .html ? HTMLText.declaredCharset(decoded) : nil)
            let text = Charset.decode(decoded, charset: charset)
            if let problem = text.problem { note("part \(id) (\(contentType.mimeType)): \(problem)") }
            var normalised = Self.normaliseLineEnds(text.string)
            if contentType.subtype == "plain", contentType.parameters["format"]?.lowercased() == "flowed" {
                normalised = FormatFlowed.unwrap(normalised, deleteSpace: contentType.parameters["delsp"]?.lowercased() == "yes")
            }
            let role = role(of: contentType)
            if role == .text { textParts.append(normalised) } else { htmlParts.append(normalised) }
            parts.append(MIMEPart(partId: id, contentType: contentType, disposition: disposition, transferEncoding: encoding,
                                  contentId: contentId, size: decoded.count, role: role))
            return
        }

        let size: Int
        var nestedAttachments: [MIMEAttachment] = []
        if isMessage {
            let decoded = encoding.decode(bytes[body])
            size = decoded.count
            if depth < MIMEMessage.maxDepth {
                let nested = Self.parseMessage(decoded, range: 0..<decoded.count, prefix: id, depth: depth + 1)
                attachedMessages.append(AttachedMessage(partId: id, message: nested))
                // A forwarded message's files are files of this message too (Python's email lists
                // them; users look for them here). Their ids (`3.2`) address them with BODY[3.2].
                nestedAttachments = nested.attachments
                // Surface the attached message's problems too: nothing is silently dropped.
                for problem in nested.decodingProblems { note("attached message \(id): \(problem)") }
            } else {
                note("part \(id): attached message nested deeper than \(MIMEMessage.maxDepth) levels; not walked into")
            }
        } else {
            size = Self.decodedSize(bytes[body], encoding: encoding)
        }
        let kind = disposition.map(\.kind).flatMap(nonEmpty) ?? (contentId != nil ? "inline" : "attachment")
        attachments.append(MIMEAttachment(partId: id, filename: filename, contentType: contentType.mimeType, size: size,
                                          disposition: kind, contentId: contentId, charset: contentType.charset,
                                          transferEncoding: encoding))
        attachments.append(contentsOf: nestedAttachments)
        parts.append(MIMEPart(partId: id, contentType: contentType, disposition: disposition, transferEncoding: encoding,
                              contentId: contentId, size: size, role: isMessage ? .message : .attachment))
    }

    // MARK: - Result

    private mutating func message(headers: [MIMEHeader], fields: [RawHeaderField]) -> MIMEMessage {
        func addresses(_ name: String) -> [MailAddress] {
            var result: [MailAddress] = []
            for field in fields where field.name.lowercased() == name {
                var fieldProblems: [String] = []
                result += AddressList.parse(field.value, problems: &fieldProblems)
                report(fieldProblems, context: "header \(field.name)")
            }
            return result
        }
        var date: MailDate? = nil
        if let dateHeader = headers.first(named: "Date") {
            date = MailDate.parse(dateHeader.rawValue)
            if date == nil { note("unparseable Date header \"\(dateHeader.rawValue)\"") }
        }
        let from = addresses("from"), sender = addresses("sender"), replyTo = addresses("reply-to")
        let to = addresses("to"), cc = addresses("cc"), bcc = addresses("bcc")
        var problems = self.problems
        if suppressedProblems > 0 { problems.append("\(suppressedProblems) more problems not listed") }
        return MIMEMessage(
            headers: headers,
            subject: headers.first(named: "Subject")?.value,
            from: from,
            sender: sender,
            replyTo: replyTo,
            to: to,
            cc: cc,
            bcc: bcc,
            messageId: headers.first(named: "Message-ID").flatMap { MessageIDList.first($0.rawValue) },
            inReplyTo: headers.first(named: "In-Reply-To").flatMap { MessageIDList.first($0.rawValue) },
            references: headers.all(named: "References").flatMap { MessageIDList.parse($0.rawValue) },
            date: date,
            textBody: textParts.isEmpty ? nil : textParts.joined(separator: "\n"),
            htmlBody: htmlParts.isEmpty ? nil : htmlParts.joined(separator: "\n"),
            attachments: attachments,
            attachedMessages: attachedMessages,
            parts: parts,
            decodingProblems: problems
        )
    }

    // MARK: - Helpers

    private mutating func report(_ notes: [String], context: String) {
        for text in notes { note("\(context): \(text)") }
    }

    /// Most problems a message reports; a hostile message could otherwise produce one per part.
    static let maxProblems = 200

    /// Records a problem once; beyond `maxProblems` only a count is kept.
    private mutating func note(_ problem: String) {
        guard problemSet.insert(problem).inserted else { return }
        if problems.count < Self.maxProblems {
            problems.append(problem)
        } else {
            suppressedProblems += 1
        }
    }

    private func field(_ name: String, in fields: [RawHeaderField]) -> [UInt8]? {
        fields.first { $0.name.lowercased() == name }?.value
    }

    private func role(of contentType: ContentType) -> MIMEPart.Role {
        contentType.subtype == "plain" ? .text : .html
    }

    private func join(_ prefix: String, _ number: String) -> String {
        prefix.isEmpty ? number : "\(prefix).\(number)"
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// `<image001.png@01D>` → `image001.png@01D`.
    private static func contentId(_ raw: [UInt8]) -> String {
        var bytes = raw.trimmingWhitespace()
        if bytes.first == ASCII.lessThan { bytes.removeFirst() }
        if bytes.last == ASCII.greaterThan { bytes.removeLast() }
        return String(utf8Bytes: bytes.trimmingWhitespace())
    }

    /// Decoded size without holding the decoded bytes: attachments can be large.
    private static func decodedSize(_ body: ArraySlice<UInt8>, encoding: ContentTransferEncoding) -> Int {
        switch encoding {
        case .base64, .quotedPrintable:
            var decoder = TransferDecoder(encoding: encoding)
            var size = 0
            var start = body.startIndex
            let chunk = 64 * 1024
            while start < body.endIndex {
                let end = min(start + chunk, body.endIndex)
                size += decoder.decode(body[start..<end]).count
                start = end
            }
            return size + decoder.finish().count
        case .sevenBit, .eightBit, .binary, .other:
            return body.count
        }
    }

    /// CRLF and lone CR become LF, which is what JSON consumers expect of text.
    static func normaliseLineEnds(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(ASCII.cr) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var previousCR = false
        for byte in utf8 {
            if byte == ASCII.cr {
                output.append(ASCII.lf)
                previousCR = true
                continue
            }
            if byte == ASCII.lf && previousCR { previousCR = false; continue }
            previousCR = false
            output.append(byte)
        }
        return String(utf8Bytes: output)
    }
}
