/// The opaque `cursor` of a message listing: where the previous page ended.
///
/// It pins the folder's UIDVALIDITY and the last UID returned, so new mail never shifts a page.
/// On the wire it is unpadded base64url of 14 bytes:
/// version (1) · order (0 newest, 1 oldest) · UIDVALIDITY (4, big-endian) · last UID (4) · CRC-32 of the first 10 (4).
public struct Cursor: Hashable, Sendable {
    /// The folder's UIDVALIDITY when the cursor was issued; a different one now means 409.
    public var uidValidity: UInt32
    /// The last UID on the page the cursor follows (never 0).
    public var lastUID: UInt32
    /// The order of the listing the cursor continues.
    public var order: MessageOrder

    static let version: UInt8 = 1
    static let byteCount = 14

    public init(uidValidity: UInt32, lastUID: UInt32, order: MessageOrder) {
        self.uidValidity = uidValidity
        self.lastUID = lastUID
        self.order = order
    }

    /// The URL-safe text to hand out as `nextCursor`.
    public var encoded: String {
        var bytes: [UInt8] = [Self.version, order == .newest ? 0 : 1]
        bytes += Self.bigEndianBytes(uidValidity) + Self.bigEndianBytes(lastUID)
        bytes += Self.bigEndianBytes(CRC32.checksum(bytes))
        return Base64URL.encode(bytes)
    }

    /// Reads a cursor issued by `encoded`.
    /// - Throws: `CursorError.malformed` for anything else, including edited cursors.
    public static func decode(_ text: String) throws(CursorError) -> Cursor {
        guard text.utf8.count <= 64, let bytes = Base64URL.decode(text), bytes.count == byteCount,
              bytes[0] == version, bytes[1] <= 1,
              uint32(bytes, at: 10) == CRC32.checksum(bytes[0..<10])
        else { throw .malformed }
        let lastUID = uint32(bytes, at: 6)
        guard lastUID != 0 else { throw .malformed }
        return Cursor(uidValidity: uint32(bytes, at: 2), lastUID: lastUID, order: bytes[1] == 0 ? .newest : .oldest)
    }

    private static func bigEndianBytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { ($0 << 8) | UInt32($1) }
    }
}
