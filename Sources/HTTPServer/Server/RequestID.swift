import Sockets
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Request ids: the client's `X-Request-ID` when sane, else a process-unique one.
enum RequestID {
    /// A random per-process prefix and a counter: unique, cheap (no syscall per request).
    private static let prefix: [UInt8] = {
        let random = UInt32.random(in: .min ... .max)
        return (0..<8).reversed().map { Array("0123456789abcdef".utf8)[Int((random >> UInt32($0 * 4)) & 0xF)] }
    }()
    private static let counter = Protected<UInt64>(0)

    /// The client's id if it is 1...200 visible ASCII characters, else a new one.
    static func resolve(_ header: String?) -> String {
        if let header, isSane(header) { return header }
        return generate()
    }

    static func isSane(_ value: String) -> Bool {
        let utf8 = value.utf8
        return !utf8.isEmpty && utf8.count <= 200 && utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `<8 random hex>-<8 hex counter>`; the counter wraps after 2^32 requests of one process.
    static func generate() -> String {
        let number = counter.withLock { value in
            value &+= 1
            return value
        }
        var bytes = prefix
        bytes.reserveCapacity(17)
        bytes.append(UInt8(ascii: "-"))
        for shift in stride(from: 28, through: 0, by: -4) {
            bytes.append(hexDigits[Int((number >> UInt64(shift)) & 0xF)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
