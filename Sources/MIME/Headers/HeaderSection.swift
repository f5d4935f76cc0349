/// A header field as found in the bytes: name and unfolded raw value.
struct RawHeaderField: Sendable {
    var name: String
    /// Unfolded value bytes (CRLF before folding whitespace removed), trimmed, still undecoded.
    var value: [UInt8]
}

/// Splits an entity (a message or a body part) into its header fields and body.
///
/// RFC 5322 §2.2.3 and §3.5: the header ends at the first empty line. Bare LF line ends are
/// accepted; a missing empty line (truncated message) means everything is header.
struct HeaderSection: Sendable {
    var fields: [RawHeaderField]
    /// Where the body starts in the entity's bytes (equal to the end when there is no body).
    var bodyStart: Int
    /// Whether the header was terminated by an empty line.
    var isTerminated: Bool

    /// Caps that keep hostile input from growing memory without bound.
    static let maxFieldCount = 50_000

    /// Parses the header section of `bytes[range]`.
    init(bytes: [UInt8], range: Range<Int>) {
        var fields: [RawHeaderField] = []
        var index = range.lowerBound
        let end = range.upperBound
        var current: (name: String, value: [UInt8])? = nil
        var terminated = false

        func commit() {
            if let field = current {
                if fields.count < Self.maxFieldCount {
                    fields.append(RawHeaderField(name: field.name, value: field.value.trimmingWhitespace()))
                }
                current = nil
            }
        }

        // A leading mbox "From " line is not a header; skip it.
        if end - index >= 5, bytes[index..<index + 5].elementsEqual("From ".utf8) {
            index = Self.nextLineStart(bytes, from: index, end: end).next
        }

        while index < end {
            let (lineEnd, next) = Self.nextLineStart(bytes, from: index, end: end)
            if lineEnd == index {
                // Empty line: the header is over.
                index = next
                terminated = true
                break
            }
            let first = bytes[index]
            if ASCII.isWSP(first) {
                if current != nil {
                    // Unfolding removes only the line break; the whitespace stays (RFC 5322 §2.2.3).
                    current!.value.append(contentsOf: bytes[index..<lineEnd])
                } else if lineEnd > index, bytes[index..<lineEnd].allSatisfy(ASCII.isWhitespace) {
                    // A whitespace-only line before any field: treat it as the empty line.
                    index = next
                    terminated = true
                    break
                }
            } else if let colon = bytes[index..<lineEnd].firstIndex(of: ASCII.colon), colon > index,
                      case let nameEnd = Self.trimmedNameEnd(bytes, start: index, colon: colon),
                      bytes[index..<nameEnd].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                commit()
                current = (String(utf8Bytes: bytes[index..<nameEnd]), Array(bytes[(colon + 1)..<lineEnd]))
            } else {
                // A line that is neither a field nor a continuation. If nothing header-like came
                // before it, the entity has no header at all and this is body text.
                if fields.isEmpty && current == nil {
                    break
                }
                // Otherwise skip the junk line, as lenient readers do.
            }
            index = next
        }
        commit()
        self.fields = fields
        self.bodyStart = index
        self.isTerminated = terminated
    }

    /// Field names are printable ASCII without spaces; `Subject : x` (space before the colon) is tolerated.
    private static func trimmedNameEnd(_ bytes: [UInt8], start: Int, colon: Int) -> Int {
        var nameEnd = colon
        while nameEnd > start, ASCII.isWSP(bytes[nameEnd - 1]) { nameEnd -= 1 }
        return nameEnd
    }

    /// The end of the line starting at `from` (excluding CR LF / LF) and the start of the next line.
    static func nextLineStart(_ bytes: [UInt8], from: Int, end: Int) -> (lineEnd: Int, next: Int) {
        var index = from
        while index < end {
            if bytes[index] == ASCII.lf {
                let lineEnd = index > from && bytes[index - 1] == ASCII.cr ? index - 1 : index
                return (lineEnd, index + 1)
            }
            index += 1
        }
        let lineEnd = end > from && bytes[end - 1] == ASCII.cr ? end - 1 : end
        return (lineEnd, end)
    }
}
