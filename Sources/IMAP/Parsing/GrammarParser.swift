/// Why the grammar rejected a frame; turned into `IMAPParseError` by `ResponseParser`.
enum GrammarError: Error {
    case malformed(reason: String, position: Int)
    case nestingTooDeep
}

/// A recursive-descent parser over the bytes of one frame (RFC 3501 §9 / RFC 9051 §9).
///
/// It reads the frame in place through a buffer pointer that is only valid during one
/// `ResponseParser.next()` call, so it is never stored. Parsing functions carry their ABNF rule
/// above them; where real servers deviate the rule says so and the code is lenient.
struct GrammarParser {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Index of the next byte to read.
    var position: Int
    /// One past the last content byte: the line end (CR, LF and trailing spaces) is excluded.
    var end: Int
    /// First byte of the frame, for error positions relative to the response.
    let frameStart: Int
    /// First byte of the response after stray NULs.
    let contentStart: Int
    let maxDepth: Int
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, frame: Frame, maxDepth: Int) {
        self.bytes = bytes
        self.frameStart = frame.start
        self.maxDepth = maxDepth
        var contentEnd = frame.end
        // Trim LF, CR and the trailing spaces some servers (Yahoo) write, but never into literal data.
        while contentEnd > frame.lastSegmentStart {
            let byte = bytes[contentEnd - 1]
            guard byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09 else { break }
            contentEnd -= 1
        }
        var start = frame.start
        // NUL bytes before the greeting have been seen in the wild; they carry nothing.
        while start < contentEnd && bytes[start] == 0 { start += 1 }
        self.position = start
        self.contentStart = start
        self.end = contentEnd
    }

    /// A parser over `range` of the same frame (a response code between its brackets).
    func subParser(_ range: Range<Int>) -> GrammarParser {
        var copy = self
        copy.position = range.lowerBound
        copy.end = range.upperBound
        return copy
    }

    /// True when only the line end remains.
    var isAtEnd: Bool { position >= end }

    @inline(__always) func peek() -> UInt8? { position < end ? bytes[position] : nil }
    @inline(__always) func peek(is byte: UInt8) -> Bool { position < end && bytes[position] == byte }

    func fail(_ reason: String) -> GrammarError {
        .malformed(reason: reason, position: position - frameStart)
    }

    /// Enters one level of parentheses, enforcing `maxNestingDepth`.
    mutating func enter() throws(GrammarError) {
        depth += 1
        if depth > maxDepth { throw .nestingTooDeep }
    }

    mutating func leave() { depth -= 1 }
}
