/// Splits a multipart body at its boundary delimiters (RFC 2046 §5.1.1).
///
/// ```
/// dash-boundary  = "--" boundary
/// delimiter      = CRLF dash-boundary
/// close-delimiter = delimiter "--"
/// ```
/// A delimiter line may carry trailing whitespace (transport padding) and nothing else, so a
/// boundary that is a prefix of a longer line does not match. The CRLF before a delimiter
/// belongs to the delimiter. Bare LF line ends are accepted. One linear pass.
struct MultipartSplitter {
    struct Result {
        /// Each body part's bytes (headers and body), preamble and epilogue excluded.
        var parts: [Range<Int>]
        /// Whether the close delimiter was found; false means the message is truncated.
        var isClosed: Bool
        /// Whether splitting stopped at `maxParts`.
        var hitPartLimit = false
    }

    /// More parts than this are junk, not mail; the rest is left out (and reported by the caller).
    static let maxParts = 10_000

    static func split(_ bytes: [UInt8], range: Range<Int>, boundary: [UInt8]) -> Result {
        let delimiter = [ASCII.minus, ASCII.minus] + boundary
        var parts: [Range<Int>] = []
        var partStart: Int? = nil
        var lineStart = range.lowerBound
        let end = range.upperBound

        while lineStart < end {
            var lineEnd = lineStart
            while lineEnd < end, bytes[lineEnd] != ASCII.lf { lineEnd += 1 }
            let next = lineEnd < end ? lineEnd + 1 : end

            if let isClose = delimiterKind(bytes, lineStart: lineStart, lineEnd: lineEnd, delimiter: delimiter) {
                if let start = partStart {
                    parts.append(start..<contentEnd(bytes, lineStart: lineStart, partStart: start))
                    if parts.count >= maxParts { return Result(parts: parts, isClosed: false, hitPartLimit: true) }
                }
                if isClose { return Result(parts: parts, isClosed: true) }
                partStart = next
            }
            lineStart = next
        }
        if let start = partStart {
            parts.append(start..<max(start, end))
        }
        return Result(parts: parts, isClosed: false)
    }

    /// nil when the line is not a delimiter; otherwise whether it is the close delimiter.
    private static func delimiterKind(_ bytes: [UInt8], lineStart: Int, lineEnd: Int, delimiter: [UInt8]) -> Bool? {
        guard lineEnd - lineStart >= delimiter.count,
              bytes[lineStart] == ASCII.minus,
              bytes[lineStart..<(lineStart + delimiter.count)].elementsEqual(delimiter)
        else { return nil }
        var index = lineStart + delimiter.count
        var isClose = false
        if index + 2 <= lineEnd, bytes[index] == ASCII.minus, bytes[index + 1] == ASCII.minus {
            isClose = true
            index += 2
        }
        while index < lineEnd {
            guard ASCII.isWhitespace(bytes[index]) else { return nil }
            index += 1
        }
        return isClose
    }

    /// The part ends before the line break that precedes the delimiter line.
    private static func contentEnd(_ bytes: [UInt8], lineStart: Int, partStart: Int) -> Int {
        var end = lineStart
        if end > partStart, bytes[end - 1] == ASCII.lf {
            end -= 1
            if end > partStart, bytes[end - 1] == ASCII.cr { end -= 1 }
        }
        return end
    }
}
