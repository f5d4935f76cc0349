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
    ///
    /// Walks the tree without building part ids or decoding filenames (a list page asks this of
    /// every message): only a text part without a disposition needs to know whether it has a
    /// filename at all.
    var hasAttachment: Bool {
        switch self {
        case .single(let part): part.countsAsAttachment
        case .multipart(let multipart): multipart.parts.contains { $0.hasAttachment }
        }
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

    /// `isAttachmentLike && (disposition?.kind != "inline" || id == nil)`, cheapest test first.
    var countsAsAttachment: Bool {
        let kind = disposition?.kind
        if kind == "attachment" { return true }
        if type == "text", subtype == "plain" || subtype == "html" {
            // An attachment only with a filename, which only parameters named so can give.
            guard kind != "inline", mayHaveFilename else { return false }
            return filename != nil
        }
        return kind != "inline" || id == nil
    }

    /// Whether a `filename` (disposition) or `name` (content type) parameter, RFC 2231 pieces
    /// included, is there at all; false means `filename` is nil without decoding anything.
    private var mayHaveFilename: Bool {
        (disposition?.parameters ?? []).contains { Self.hasPrefix($0.name, "filename") }
            || parameters.contains { Self.hasPrefix($0.name, "name") }
    }

    /// ASCII case-insensitive prefix test on a parameter name.
    private static func hasPrefix(_ name: String, _ prefix: StaticString) -> Bool {
        let prefixBytes = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        var iterator = name.utf8.makeIterator()
        for expected in prefixBytes {
            guard let byte = iterator.next(), byte | 0x20 == expected else { return false }
        }
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
