/// A complete response inside `ResponseFramer.buffer`: its line(s) and every literal they announce.
struct Frame {
    /// Index of the first byte.
    var start: Int
    /// Index one past the final LF.
    var end: Int
    /// Where the last line segment begins (after the last literal's data); trimming the line end
    /// must never reach back into literal data.
    var lastSegmentStart: Int
}

/// Splits the byte stream into frames, knowing nothing of the grammar beyond literals.
///
/// The bytes live in one growing buffer with a read index, so a frame is never copied: the grammar
/// parses it in place. Consumed bytes are dropped in bulk once they outweigh the unread ones.
/// Scanning resumes where the previous read stopped, so a response that trickles in a byte at a
/// time is still scanned only once.
struct ResponseFramer {
    private(set) var buffer: [UInt8] = []
    /// Start of the frame being assembled (everything before it has been consumed).
    private var frameStart = 0
    /// Where the search for the next LF resumes.
    private var scanIndex = 0
    /// Start of the current line segment (the frame start, or just after a literal's data).
    private var segmentStart = 0
    /// While inside a literal: the index just past its data.
    private var literalEnd: Int?
    /// Line bytes (not literal data) of the frame in completed segments, for `maxLineLength`.
    private var lineBytes = 0
    let limits: ParserLimits

    init(limits: ParserLimits) { self.limits = limits }

    /// Bytes received but not yet consumed.
    var bufferedCount: Int { buffer.count - frameStart }

    mutating func append(_ bytes: some Collection<UInt8>) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Drops consumed bytes when that is cheap relative to what is kept: everything when all is
    /// consumed, otherwise only once the consumed part is large and more than half the buffer.
    private mutating func compactIfWorthwhile() {
        guard frameStart > 0 else { return }
        let shift: Int
        if frameStart == buffer.count {
            shift = frameStart
            buffer.removeAll(keepingCapacity: true)
        } else if frameStart >= 64 * 1024 && frameStart * 2 >= buffer.count {
            shift = frameStart
            buffer.removeSubrange(0..<frameStart)
        } else {
            return
        }
        frameStart -= shift
        scanIndex -= shift
        segmentStart -= shift
        if let end = literalEnd { literalEnd = end - shift }
    }

    /// The next complete frame, or nil when more bytes are needed. Throws only fatal errors.
    mutating func nextFrame() throws(IMAPParseError) -> Frame? {
        while true {
            if let end = literalEnd {
                guard buffer.count >= end else { return nil }
                literalEnd = nil
                scanIndex = end
                segmentStart = end
            }
            guard let lineFeed = findLineFeed(from: scanIndex) else {
                scanIndex = buffer.count
                if lineBytes + (buffer.count - segmentStart) > limits.maxLineLength {
                    throw .lineTooLong(limit: limits.maxLineLength)
                }
                return nil
            }
            lineBytes += lineFeed + 1 - segmentStart
            if lineBytes > limits.maxLineLength {
                throw .lineTooLong(limit: limits.maxLineLength)
            }
            if let size = try literalSize(endingBefore: lineFeed) {
                literalEnd = lineFeed + 1 + size
                continue
            }
            return Frame(start: frameStart, end: lineFeed + 1, lastSegmentStart: segmentStart)
        }
    }

    /// Marks `frame` as consumed; the next frame starts right after it.
    mutating func consume(_ frame: Frame) {
        frameStart = frame.end
        scanIndex = frame.end
        segmentStart = frame.end
        literalEnd = nil
        lineBytes = 0
    }

    /// The first LF at or after `start`. Eight bytes at a time: frames are long and every byte of
    /// them passes through here once.
    private func findLineFeed(from start: Int) -> Int? {
        buffer.withUnsafeBytes { raw in
            let count = raw.count
            var index = start
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
            while index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ lineFeeds
                // A zero byte in `word` is an LF in the buffer (the classic has-zero-byte test).
                if (word &- ones) & ~word & highs != 0 { break }
                index += 8
            }
            while index < count {
                if raw[index] == 0x0A { return index }
                index += 1
            }
            return nil
        }
    }

    /// The size announced by a literal marker (`{n}`, `{n+}`, `{n-}`, `~{n}`) that ends the line
    /// segment whose LF is at `lineFeed` (a CR before the LF is optional: some servers send `}\n`).
    private func literalSize(endingBefore lineFeed: Int) throws(IMAPParseError) -> Int? {
        var index = lineFeed - 1
        if index >= segmentStart && buffer[index] == 0x0D { index -= 1 }
        guard index > segmentStart, buffer[index] == UInt8(ascii: "}") else { return nil }
        index -= 1
        if buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") { index -= 1 }
        let lastDigit = index
        while index >= segmentStart && buffer[index] >= 0x30 && buffer[index] <= 0x39 { index -= 1 }
        guard index < lastDigit, index >= segmentStart, buffer[index] == UInt8(ascii: "{") else { return nil }
        let digits = lastDigit - index
        guard digits <= 18 else {
            throw .literalTooLarge(size: Int.max, limit: limits.maxLiteralSize)
        }
        var size = 0
        for position in (index + 1)...lastDigit { size = size * 10 + Int(buffer[position] - 0x30) }
        if size > limits.maxLiteralSize {
            throw .literalTooLarge(size: size, limit: limits.maxLiteralSize)
        }
        return size
    }
}
