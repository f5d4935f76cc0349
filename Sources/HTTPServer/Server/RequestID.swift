#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Request ids: the client's `X-Request-ID` when sane, else a process-unique one.
enum RequestID {
    /// A random per-process prefix and a counter: unique, cheap (no syscall per request).
    private static let prefix: String = {
        let random = UInt32.random(in: .min ... .max)
        let hex = String(random, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }()
    private static let counter = Locked<UInt64>(0)

    /// The client's id if it is 1...200 visible ASCII characters, else a new one.
    static func resolve(_ header: String?) -> String {
        if let header, isSane(header) { return header }
        return generate()
    }

    static func isSane(_ value: String) -> Bool {
        let utf8 = value.utf8
        return !utf8.isEmpty && utf8.count <= 200 && utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    static func generate() -> String {
        let number = counter.withLock { value in
            value &+= 1
            return value
        }
        let hex = String(number, radix: 16)
        return prefix + "-" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}
