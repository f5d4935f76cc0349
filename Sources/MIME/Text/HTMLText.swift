/// A crude HTML-to-text conversion, good enough for previews (not for display).
enum HTMLText {
    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "ndash": "–", "mdash": "—", "hellip": "…", "laquo": "«", "raquo": "»",
        "euro": "€", "copy": "©", "reg": "®", "auml": "ä", "ouml": "ö", "uuml": "ü",
        "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß", "eacute": "é", "egrave": "è",
    ]

    /// Text content of `html`, stopping once about `limit` text characters were produced.
    static func plainText(_ html: String, limit: Int) -> String {
        let bytes = Array(html.utf8)
        var output: [UInt8] = []
        var index = 0
        let end = bytes.count
        while index < end && output.count < limit * 4 {
            let byte = bytes[index]
            if byte == ASCII.lessThan {
                if startsWith(bytes, at: index, "<!--") {
                    index = find(bytes, "-->", from: index + 4).map { $0 + 3 } ?? end
                    continue
                }
                let tagEnd = find(bytes, ">", from: index + 1) ?? end
                let (name, isClosing) = tagName(bytes, from: index + 1, to: tagEnd)
                index = min(tagEnd + 1, end)
                if !isClosing, name == "style" || name == "script" || name == "head" || name == "title" {
                    index = find(bytes, "</\(name)", from: index, caseInsensitive: true) ?? end
                    continue
                }
                output.append(ASCII.space)
            } else if byte == UInt8(ascii: "&") {
                let semicolon = bytes[index..<min(end, index + 12)].firstIndex(of: ASCII.semicolon)
                if let semicolon, let decoded = entity(String(utf8Bytes: bytes[(index + 1)..<semicolon])) {
                    output.append(contentsOf: decoded.utf8)
                    index = semicolon + 1
                } else {
                    output.append(byte)
                    index += 1
                }
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(utf8Bytes: output)
    }

    /// The charset an HTML document declares in its first bytes (`<meta charset="...">` or
    /// `<meta http-equiv=... content="text/html; charset=...">`), for parts whose
    /// Content-Type names none.
    static func declaredCharset(_ bytes: some Collection<UInt8>) -> String? {
        let head = Array(bytes.prefix(2048)).asciiLowercased()
        let needle = Array("charset=".utf8)
        guard head.count >= needle.count else { return nil }
        var index = 0
        while index <= head.count - needle.count {
            if head[index..<(index + needle.count)].elementsEqual(needle) {
                var start = index + needle.count
                while start < head.count, head[start] == ASCII.quote || head[start] == ASCII.apostrophe || ASCII.isWhitespace(head[start]) {
                    start += 1
                }
                var end = start
                while end < head.count, ASCII.isAlpha(head[end]) || ASCII.isDigit(head[end]) || head[end] == ASCII.minus
                    || head[end] == ASCII.underscore || head[end] == ASCII.dot || head[end] == ASCII.colon {
                    end += 1
                }
                return end > start ? String(utf8Bytes: head[start..<end]) : nil
            }
            index += 1
        }
        return nil
    }

    private static func entity(_ name: String) -> String? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
        }
        if name.hasPrefix("#") {
            return UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
        }
        return entities[name]
    }

    private static func tagName(_ bytes: [UInt8], from start: Int, to end: Int) -> (name: String, isClosing: Bool) {
        var index = start
        let isClosing = index < end && bytes[index] == ASCII.slash
        if isClosing { index += 1 }
        let nameStart = index
        while index < end, ASCII.isAlpha(bytes[index]) || ASCII.isDigit(bytes[index]) { index += 1 }
        return (String(utf8Bytes: bytes[nameStart..<index].map(ASCII.lowercased)), isClosing)
    }

    private static func startsWith(_ bytes: [UInt8], at index: Int, _ prefix: String) -> Bool {
        let needle = Array(prefix.utf8)
        return index + needle.count <= bytes.count && bytes[index..<(index + needle.count)].elementsEqual(needle)
    }

    private static func find(_ bytes: [UInt8], _ needle: String, from start: Int, caseInsensitive: Bool = false) -> Int? {
        let pattern = Array(needle.utf8).map { caseInsensitive ? ASCII.lowercased($0) : $0 }
        guard !pattern.isEmpty, start <= bytes.count - pattern.count else { return nil }
        var index = start
        while index <= bytes.count - pattern.count {
            var matched = true
            for offset in 0..<pattern.count {
                let byte = caseInsensitive ? ASCII.lowercased(bytes[index + offset]) : bytes[index + offset]
                if byte != pattern[offset] { matched = false; break }
            }
            if matched { return index }
            index += 1
        }
        return nil
    }
}
