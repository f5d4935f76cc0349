#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address or network (`10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`), for the
/// trusted-proxy setting. IPv4 addresses match an IPv4-mapped IPv6 peer (`::ffff:10.0.0.5`).
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// 16 bytes; IPv4 is stored IPv4-mapped so both families compare alike.
    private let bytes: [UInt8]
    private let prefixLength: Int
    public let description: String

    /// Parses `address` or `address/prefix`; nil when it is neither.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let (bytes, isV4) = Self.parseAddress(String(parts[0])) else { return nil }
        var prefix = 128
        if parts.count == 2 {
            guard let length = Int(parts[1]), length >= 0, length <= (isV4 ? 32 : 128) else { return nil }
            prefix = isV4 ? 96 + length : length
        }
        self.bytes = bytes
        prefixLength = prefix
        description = text
    }

    /// Whether `address` (no port, no brackets) lies in this network.
    public func contains(_ address: String) -> Bool {
        guard let (other, _) = Self.parseAddress(address) else { return false }
        var left = prefixLength
        for index in 0..<16 where left > 0 {
            let bits = min(8, left)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if bytes[index] & mask != other[index] & mask { return false }
            left -= bits
        }
        return true
    }

    /// 16 bytes (IPv4 as `::ffff:a.b.c.d`) and whether the text was IPv4.
    static func parseAddress(_ text: String) -> ([UInt8], Bool)? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let value = UInt32(bigEndian: v4.s_addr)
            return ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF,
                     UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)], true)
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        return (bytes, false)
    }
}
