/// Finds the `Origin` field in the bytes of a request head that failed to parse.
///
/// A browser that sends a head the server rejects (a 431 for a header section swollen by
/// cookies, say) can only read the error status if the answer carries CORS headers, and those
/// depend on `Origin`. Nothing else of a rejected head is trusted; the value found here is only
/// echoed when the CORS policy allows that exact origin, as for any request.
enum OriginSniffer {
    /// How far into the head to look: the limit on a header section, plus a little.
    static let maxScannedBytes = 17 * 1024

    /// The value of the first line starting with `Origin:` (any case) before the blank line that
    /// ends the head; nil when there is none or it is not a plain visible-ASCII value.
    static func origin(in head: ArraySlice<UInt8>) -> String? {
        let bytes = head.prefix(maxScannedBytes)
        let name = Array("origin:".utf8)
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: ByteClass.lf) ?? bytes.endIndex
            var line = bytes[lineStart..<lineEnd]
            if line.last == ByteClass.cr { line = line.dropLast() }
            if line.isEmpty, lineStart != bytes.startIndex { return nil }  // end of the head
            if line.count > name.count,
               zip(line, name).allSatisfy({ $0.asciiLowercased == $1 }) {
                let value = line.dropFirst(name.count).drop(while: ByteClass.isWhitespace)
                let trimmed = value.reversed().drop(while: ByteClass.isWhitespace).reversed()
                guard !trimmed.isEmpty, trimmed.allSatisfy(ByteClass.isVisibleASCII) else { return nil }
                return String(decoding: trimmed, as: UTF8.self)
            }
            lineStart = lineEnd == bytes.endIndex ? lineEnd : lineEnd + 1
        }
        return nil
    }
}
