/// One body section of a message located by its IMAP part id, as `BODY[partId]` would return it.
public struct MIMESection: Sendable {
    /// The part id that was asked for.
    public var partId: String
    /// The section's MIME header fields (empty for the body of a non-multipart message without them).
    public var headers: [MIMEHeader]
    /// The section's `Content-Type` (text/plain when absent).
    public var contentType: ContentType
    /// How `encodedBody` is encoded.
    public var transferEncoding: ContentTransferEncoding
    /// The `Content-Disposition`, if any.
    public var disposition: ContentDisposition?
    /// `filename` / `filename*` of the disposition, else the `name` of the content type.
    public var filename: String?
    /// The section's bytes still transfer-encoded (for a message/rfc822 part: the whole nested message).
    public var encodedBody: [UInt8]

    /// The section's bytes after transfer decoding.
    public var decodedBody: [UInt8] { transferEncoding.decode(encodedBody) }
}

extension MIMEMessage {
    /// Finds the section with the given IMAP part id (`"1"`, `"2.1.3"`) in a raw message,
    /// following the same numbering as `parse`; nil when the message has no such part.
    public static func section(_ partId: String, in bytes: [UInt8]) -> MIMESection? {
        let numbers = partId.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        var locator = SectionLocator(bytes: bytes, range: 0..<bytes.count)
        for number in numbers {
            guard let number, locator.descend(into: number) else { return nil }
        }
        return locator.section(partId: partId)
    }
}

/// Walks down the MIME tree one part number at a time (RFC 3501 §6.4.5 numbering).
private struct SectionLocator {
    private var bytes: [UInt8]
    private var fields: [RawHeaderField]
    private var body: Range<Int>
    /// Whether the current entity is a message (top level or the body of a message/rfc822 part),
    /// whose non-multipart body is its part "1".
    private var isMessage = true
    private var depth = 0

    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        let section = HeaderSection(bytes: bytes, range: range)
        fields = section.fields
        body = section.bodyStart..<max(section.bodyStart, range.upperBound)
    }

    private var contentType: ContentType {
        var problems: [String] = []
        return field("content-type").flatMap { ContentType.parse($0, problems: &problems) } ?? .defaultPlainText
    }

    private func field(_ name: String) -> [UInt8]? {
        fields.first { $0.name.lowercased() == name }?.value
    }

    mutating func descend(into number: Int) -> Bool {
        depth += 1
        guard depth <= MIMEMessage.maxDepth * 2 else { return false }
        let type = contentType
        if !isMessage, type.type == "message", type.subtype == "rfc822" || type.subtype == "global" {
            // The number addresses a part of the attached message.
            let encoding = ContentTransferEncoding(headerValue: field("content-transfer-encoding").map { String(utf8Bytes: $0) })
            let nested = encoding.decode(bytes[body])
            let reached = depth
            self = SectionLocator(bytes: nested, range: 0..<nested.count)
            self.depth = reached
        }
        let current = contentType
        if current.isMultipart, let boundary = current.boundary, !boundary.isEmpty {
            let parts = MultipartSplitter.split(bytes, range: body, boundary: Array(boundary.utf8)).parts
            if !parts.isEmpty {
                guard number <= parts.count else { return false }
                let range = parts[number - 1]
                let section = HeaderSection(bytes: bytes, range: range)
                fields = section.fields
                body = section.bodyStart..<max(section.bodyStart, range.upperBound)
                isMessage = false
                return true
            }
        }
        // A message with a single body: that body is part 1.
        guard isMessage, number == 1 else { return false }
        isMessage = false
        return true
    }

    func section(partId: String) -> MIMESection {
        var problems: [String] = []
        let headers = fields.map { field in
            let utf8 = MIMEHeaderDecoder.utf8Bytes(of: field.value, problems: &problems)
            return MIMEHeader(name: field.name, value: EncodedWord.decode(utf8: utf8, problems: &problems), rawValue: String(utf8Bytes: utf8))
        }
        let type = contentType
        let disposition = field("content-disposition").map { ContentDisposition.parse($0, problems: &problems) }
        let filename = [disposition?.filename, type.name].compactMap { $0 }.first { !$0.isEmpty }
        return MIMESection(
            partId: partId,
            headers: headers,
            contentType: type,
            transferEncoding: ContentTransferEncoding(headerValue: field("content-transfer-encoding").map { String(utf8Bytes: $0) }),
            disposition: disposition,
            filename: filename,
            encodedBody: Array(bytes[body])
        )
    }
}
