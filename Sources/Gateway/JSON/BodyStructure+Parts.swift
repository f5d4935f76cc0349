import IMAP

/// Walking a BODYSTRUCTURE with IMAP section numbers (RFC 3501 §6.4.5).
extension BodyStructure {
    /// Every leaf part with its section number (`1`, `1.2`, ...); a single-part message is `1`.
    /// Parts inside an attached message (message/rfc822) are not listed: the attachment is.
    var leafParts: [(partId: String, part: SinglePart)] {
        var result: [(String, SinglePart)] = []
        func walk(_ structure: BodyStructure, prefix: String) {
            switch structure {
            case .single(let part):
                result.append((prefix.isEmpty ? "1" : prefix, part))
            case .multipart(let multipart):
                for (index, child) in multipart.parts.enumerated() {
                    walk(child, prefix: prefix.isEmpty ? "\(index + 1)" : "\(prefix).\(index + 1)")
                }
            }
        }
        walk(self, prefix: "")
        return result
    }

    /// The leaf part with section number `partId`, descending into attached messages too.
    func part(withID partId: String) -> SinglePart? {
        let numbers = partId.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 >= 1 }) else { return nil }
        guard var current = BodyStructure.child(ofMessageBody: self, numbers[0]) else { return nil }
        for number in numbers.dropFirst() {
            switch current {
            case .multipart(let multipart):
                guard number <= multipart.parts.count else { return nil }
                current = multipart.parts[number - 1]
            case .single(let part):
                guard let attached = part.message,
                      let child = BodyStructure.child(ofMessageBody: attached.body, number) else { return nil }
                current = child
            }
        }
        if case .single(let part) = current { return part }
        return nil
    }

    /// Part `number` of a message whose body is `body`: its Nth part, or the body itself as `1`.
    private static func child(ofMessageBody body: BodyStructure, _ number: Int) -> BodyStructure? {
        switch body {
        case .multipart(let multipart):
            return number <= multipart.parts.count ? multipart.parts[number - 1] : nil
        case .single:
            return number == 1 ? body : nil
        }
    }

    /// The parts a person would call attachments: everything but the message's text and HTML
    /// bodies and the multipart containers.
    var attachmentParts: [(partId: String, part: SinglePart)] {
        leafParts.filter { $0.part.isAttachmentLike }
    }

    /// The same rule as `MIMEMessage.hasAttachment`: a part marked `attachment`, or an inline
    /// part no HTML body references by Content-ID.
    var hasAttachment: Bool {
        attachmentParts.contains { $0.part.disposition?.kind != "inline" || $0.part.id == nil }
    }
}

extension BodyStructure.SinglePart {
    /// A parameter by case-insensitive name.
    func parameter(_ name: String) -> String? {
        parameters.first { $0.name.lowercased() == name }?.value
    }

    /// Whether the part is something to download rather than text to read.
    var isAttachmentLike: Bool {
        if disposition?.kind == "attachment" { return true }
        if type == "text", subtype == "plain" || subtype == "html" { return filename != nil && disposition?.kind != "inline" }
        return true
    }

    /// The filename from Content-Disposition or the Content-Type `name` (raw, possibly RFC 2047/2231).
    var rawFilenameParameters: [(name: String, value: String)] {
        (disposition?.parameters ?? []).map { ($0.name, $0.value) } + parameters.map { ($0.name, $0.value) }
    }

    var filename: String? { PartFilename.decode(self) }

    /// `type/subtype`, plus `; charset=...` for text.
    var mediaType: String {
        var value = "\(type)/\(subtype)"
        if let charset = parameter("charset"), charset.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != ";" && $0 != "\"" }) {
            value += "; charset=\(charset)"
        }
        return value
    }
}
