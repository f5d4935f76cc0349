/// Bytes read from a connection and not yet consumed by the decoder.
///
/// Reads are appended; consumed bytes are dropped lazily so that offsets relative to
/// `readerIndex` stay valid while a head is parsed across several reads.
struct InboundBuffer: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var readerIndex = 0

    var readableCount: Int { bytes.count - readerIndex }
    var isEmpty: Bool { readerIndex == bytes.count }

    /// The unread byte at `offset` from the reader index.
    subscript(offset: Int) -> UInt8 { bytes[readerIndex + offset] }

    /// The unread bytes from `start` (relative) for `count` bytes.
    func slice(from start: Int, count: Int) -> ArraySlice<UInt8> {
        bytes[(readerIndex + start)..<(readerIndex + start + count)]
    }

    mutating func append(_ new: [UInt8]) {
        if isEmpty {
            // The common case: everything before was consumed; adopt the new array without copying.
            bytes = new
            readerIndex = 0
            return
        }
        if readerIndex > 0, readerIndex >= bytes.count / 2 {
            bytes.removeSubrange(0..<readerIndex)
            readerIndex = 0
        }
        bytes.append(contentsOf: new)
    }

    mutating func consume(_ count: Int) {
        precondition(count <= readableCount, "consumed more than was buffered")
        readerIndex += count
        if isEmpty {
            // Drop the storage so an idle keep-alive connection holds no buffer.
            bytes = []
            readerIndex = 0
        }
    }

    /// Offset (relative) of the first `byte` at or after `start`, or nil.
    func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        var index = readerIndex + start
        let end = bytes.count
        while index < end {
            if bytes[index] == byte { return index - readerIndex }
            index += 1
        }
        return nil
    }
}
