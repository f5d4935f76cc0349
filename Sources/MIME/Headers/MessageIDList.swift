/// `Message-ID`, `In-Reply-To` and `References` values (RFC 5322 §3.6.4).
///
/// ```
/// msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS]
/// ```
/// Identifiers keep their angle brackets (`<bulk1999@example.com>`), as the API shows them.
/// Values without brackets (seen in the wild) are split on whitespace and commas instead.
public enum MessageIDList {
    /// All identifiers in a header value, in order, duplicates removed.
    public static func parse(_ value: String) -> [String] {
        let bytes = Array(value.utf8)
        var ids: [String] = []
        var seen = Set<String>()
        func add(_ id: [UInt8]) {
            let text = String(utf8Bytes: id)
            if !text.isEmpty, seen.insert(text).inserted { ids.append(text) }
        }
        if bytes.contains(ASCII.lessThan) {
            var index = 0
            while index < bytes.count {
                if bytes[index] == ASCII.openParen {
                    index = skipComment(bytes, from: index)
                    continue
                }
                guard bytes[index] == ASCII.lessThan else { index += 1; continue }
                var end = index + 1
                while end < bytes.count, bytes[end] != ASCII.greaterThan, bytes[end] != ASCII.lessThan { end += 1 }
                if end < bytes.count, bytes[end] == ASCII.greaterThan {
                    // Whitespace inside an id is folding damage, not content.
                    add(Array(bytes[index...end]).filter { !ASCII.isWhitespace($0) })
                    index = end + 1
                } else {
                    index = end
                }
            }
            return ids
        }
        for word in bytes.split(whereSeparator: { ASCII.isWhitespace($0) || $0 == ASCII.comma }) {
            add(Array(word))
        }
        return ids
    }

    /// The first identifier of a value, e.g. for `Message-ID`.
    public static func first(_ value: String) -> String? {
        parse(value).first
    }

    private static func skipComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            if bytes[index] == ASCII.backslash { index += 2; continue }
            if bytes[index] == ASCII.openParen { depth += 1 }
            if bytes[index] == ASCII.closeParen {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return bytes.count
    }
}
