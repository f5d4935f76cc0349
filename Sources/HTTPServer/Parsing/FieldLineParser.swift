/// field-line = field-name ":" OWS field-value OWS   (RFC 9112 §5)
enum FieldLineParser {
    /// Parses one field line without its CRLF into a name and a value with OWS trimmed.
    static func parse(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (name: String, value: String) {
        guard let first = line.first else { throw .invalidHeaderName }
        // A line starting with whitespace continues the previous one: obs-fold, rejected.
        if ByteClass.isWhitespace(first) { throw .obsoleteLineFolding }
        var index = line.startIndex
        while index < line.endIndex, ByteClass.isToken(line[index]) { index += 1 }
        guard index < line.endIndex else { throw .invalidHeaderName }
        if ByteClass.isWhitespace(line[index]) {
            // "Transfer-Encoding : chunked": a smuggling vector, must be 400 (RFC 9112 §5.1).
            var probe = index
            while probe < line.endIndex, ByteClass.isWhitespace(line[probe]) { probe += 1 }
            throw probe < line.endIndex && line[probe] == ByteClass.colon ? .whitespaceBeforeColon : .invalidHeaderName
        }
        guard line[index] == ByteClass.colon, index > line.startIndex else { throw .invalidHeaderName }
        let name = String(decoding: line[line.startIndex..<index], as: UTF8.self)

        var valueStart = index + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, ByteClass.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, ByteClass.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        for byte in line[valueStart..<valueEnd] where !ByteClass.isFieldValue(byte) {
            throw .invalidHeaderValue(name: name)
        }
        return (name, String(decoding: line[valueStart..<valueEnd], as: UTF8.self))
    }
}
