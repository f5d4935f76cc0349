/// A header value of the form `token *(";" parameter)`: `Content-Type`, `Content-Disposition`.
struct ParameterizedValue: Sendable {
    /// The leading token, lowercased and trimmed (`text/plain`, `attachment`).
    var value: String
    var parameters: MIMEParameters

    /// Parses raw header bytes (8-bit bytes are read as UTF-8, or windows-1252 when invalid).
    init(_ raw: [UInt8], problems: inout [String]) {
        let bytes = MIMEHeaderDecoder.utf8Bytes(of: raw, problems: &problems)
        var index = 0
        let end = bytes.count
        // The leading token ends at ";" (or a comment).
        while index < end, bytes[index] != ASCII.semicolon, bytes[index] != ASCII.openParen { index += 1 }
        value = String(utf8Bytes: Array(bytes[0..<index]).trimmingWhitespace().asciiLowercased())
        var raw: [(name: String, value: [UInt8])] = []
        while index < end {
            // Skip separators, whitespace and comments between parameters.
            let byte = bytes[index]
            if byte == ASCII.semicolon || ASCII.isWhitespace(byte) { index += 1; continue }
            if byte == ASCII.openParen { index = Self.skipComment(bytes, from: index); continue }
            let nameStart = index
            while index < end, bytes[index] != ASCII.equals, bytes[index] != ASCII.semicolon { index += 1 }
            let name = String(utf8Bytes: Array(bytes[nameStart..<index]).trimmingWhitespace().asciiLowercased())
            guard index < end, bytes[index] == ASCII.equals else { continue }  // a name without value
            index += 1
            while index < end, ASCII.isWhitespace(bytes[index]) { index += 1 }
            var parameterValue: [UInt8] = []
            if index < end, bytes[index] == ASCII.quote {
                index += 1
                while index < end, bytes[index] != ASCII.quote {
                    if bytes[index] == ASCII.backslash, index + 1 < end { index += 1 }
                    parameterValue.append(bytes[index])
                    index += 1
                }
                index += 1
                // Anything after the closing quote up to ";" (a comment, junk) is ignored.
                while index < end, bytes[index] != ASCII.semicolon { index += 1 }
            } else {
                // Unquoted: up to ";" so that values with unquoted spaces (`name=my file.pdf`) survive.
                let valueStart = index
                while index < end, bytes[index] != ASCII.semicolon { index += 1 }
                parameterValue = Self.droppingTrailingComment(Array(bytes[valueStart..<index]).trimmingWhitespace())
            }
            if !name.isEmpty { raw.append((name, parameterValue)) }
        }
        parameters = RFC2231.combine(raw, problems: &problems)
    }

    /// `flowed (comment)` → `flowed`: only after a token without spaces, so that an unquoted
    /// filename such as `my file (1).pdf` keeps its parentheses.
    private static func droppingTrailingComment(_ value: [UInt8]) -> [UInt8] {
        guard value.last == ASCII.closeParen,
              let open = value.firstIndex(of: ASCII.openParen), open > 0, ASCII.isWSP(value[open - 1])
        else { return value }
        let head = Array(value[..<open]).trimmingWhitespace()
        return head.contains(where: ASCII.isWSP) || head.isEmpty ? value : head
    }

    private static func skipComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case ASCII.backslash: index += 1
            case ASCII.openParen: depth += 1
            case ASCII.closeParen:
                depth -= 1
                if depth == 0 { return index + 1 }
            default: break
            }
            index += 1
        }
        return index
    }
}
