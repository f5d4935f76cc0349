import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports nobody listens on right now. The kernel picks them (bind to port 0); there is
/// a small window before Dovecot binds them, so callers retry on "Address already in use".
enum FreePort {
    static func pick(count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { _ = close($0) } }
        var ports: [Int] = []
        // Keep every socket open until all are picked so the kernel hands out distinct ports.
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw DovecotError.launchFailed("socket(): \(String(cString: strerror(errno)))") }
            sockets.append(fd)
            var address = LoopbackAddress.make(port: 0)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw DovecotError.launchFailed("bind(127.0.0.1:0): \(String(cString: strerror(errno)))") }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}

enum LoopbackAddress {
    static func make(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}
