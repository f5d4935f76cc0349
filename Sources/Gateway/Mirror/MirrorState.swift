import Sockets
import IMAP

/// A folder's `state` string: which mirror issued it, for which UIDVALIDITY, at which change.
///
/// Opaque to clients. On the wire: `<instance>-<uidvalidity>-<counter>-<check>`, each part in
/// lowercase hex, `check` the CRC-32 of the rest. The instance identifies one mirror of one
/// gateway process (a random process prefix and a sequence number), so a state from before a
/// restart, an eviction or a dropped mirror is recognised as "cannot calculate", and an edited
/// or invented string (the checksum fails) as never issued.
public struct MirrorState: Hashable, Sendable, CustomStringConvertible {
    public var instance: UInt64
    public var uidValidity: UIDValidity
    public var counter: UInt64

    public init(instance: UInt64, uidValidity: UIDValidity, counter: UInt64) {
        self.instance = instance
        self.uidValidity = uidValidity
        self.counter = counter
    }

    /// The string handed to clients (also the ETag's value).
    public var description: String {
        let body = "\(String(instance, radix: 16))-\(String(uidValidity, radix: 16))-\(String(counter, radix: 16))"
        return body + "-" + String(CRC32.checksum(body.utf8), radix: 16)
    }

    /// Parses a string made by `description`; nil for anything else (edited, truncated, invented).
    public init?(parsing text: some StringProtocol) {
        guard text.utf8.count <= 80 else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 16 && $0.utf8.allSatisfy(Self.isLowerHex) }),
              let instance = UInt64(parts[0], radix: 16),
              let uidValidity = UInt32(parts[1], radix: 16),
              let counter = UInt64(parts[2], radix: 16),
              let check = UInt32(parts[3], radix: 16)
        else { return nil }
        let body = text.utf8.prefix(text.utf8.count - parts[3].utf8.count - 1)
        guard CRC32.checksum(body) == check else { return nil }
        self.init(instance: instance, uidValidity: uidValidity, counter: counter)
        // Only the canonical spelling (no leading zeros) was ever issued.
        guard description == String(text) else { return nil }
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}

/// Hands out mirror instance numbers: a random 32-bit process prefix and a sequence number, so
/// no two mirrors, in this process or another, share one (up to chance, 1 in 2^32 per restart).
enum MirrorInstance {
    private static let prefix = UInt64(UInt32.random(in: 1...UInt32.max)) << 32
    private static let sequence = Protected<UInt64>(0)

    static func next() -> UInt64 {
        prefix | sequence.withLock { value in
            value = (value &+ 1) & 0xFFFF_FFFF
            return value
        }
    }
}
