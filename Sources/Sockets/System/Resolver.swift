#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Turns a host and port into socket addresses with `getaddrinfo` (IPv4 and IPv6).
enum Resolver {
    /// `getaddrinfo` may wait on DNS, so names are resolved on this queue's threads, never on
    /// the cooperative pool; literals are resolved inline (AI_NUMERICHOST does no I/O).
    private static let queue = DispatchQueue(label: "Sockets.resolver", qos: .userInitiated, attributes: .concurrent)

    /// Resolves for connecting; gives up with `timedOut` at `deadline`.
    static func resolve(host: String, port: Int, deadline: DispatchTime) async throws -> [SocketAddress] {
        if let literal = try lookup(host: host, port: port, flags: AI_NUMERICHOST | AI_NUMERICSERV, literalOnly: true) {
            return literal
        }
        let race = ResolutionRace()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<[SocketAddress], any Error>) in
                race.install(continuation)
                queue.async {
                    race.finish(Result { try lookup(host: host, port: port, flags: AI_NUMERICSERV, literalOnly: false) ?? [] })
                }
                queue.asyncAfter(deadline: deadline) {
                    race.finish(.failure(SocketError.timedOut(operation: "resolve \(host)")))
                }
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// Resolves synchronously; for listeners, whose initializer cannot suspend.
    static func resolvePassive(host: String, port: Int) throws -> [SocketAddress] {
        try lookup(host: host, port: port, flags: AI_PASSIVE | AI_NUMERICSERV, literalOnly: false) ?? []
    }

    /// Returns nil when `literalOnly` and the host is not a numeric address.
    private static func lookup(host: String, port: Int, flags: Int32, literalOnly: Bool) throws -> [SocketAddress]? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = flags
        var list: UnsafeMutablePointer<addrinfo>?
        let name = unbracketed(host)
        let status = getaddrinfo(name.isEmpty ? nil : name, String(port), &hints, &list)
        if status != 0 {
            if literalOnly && status == EAI_NONAME { return nil }
            let message = status == EAI_SYSTEM
                ? "getaddrinfo: \(SocketError.errnoText(errno))"
                : String(cString: gai_strerror(status))
            throw SocketError.resolveFailed(host: host, message: message)
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let current = entry {
            if let address = current.pointee.ai_addr,
               current.pointee.ai_family == AF_INET || current.pointee.ai_family == AF_INET6 {
                addresses.append(SocketAddress(address, length: current.pointee.ai_addrlen))
            }
            entry = current.pointee.ai_next
        }
        if addresses.isEmpty {
            throw SocketError.resolveFailed(host: host, message: "no IPv4 or IPv6 address")
        }
        return addresses
    }
}

/// "[::1]" as people write it in URLs becomes "::1" as getaddrinfo wants it.
func unbracketed(_ host: String) -> String {
    guard host.hasPrefix("["), host.hasSuffix("]"), host.count >= 2 else { return host }
    return String(host.dropFirst().dropLast())
}

/// Lets the first of resolution, deadline and cancellation resume the waiter, exactly once.
// @unchecked Sendable: both fields are only touched under `lock`.
private final class ResolutionRace: @unchecked Sendable {
    private let lock = Lock()
    private var continuation: UnsafeContinuation<[SocketAddress], any Error>?
    private var early: Result<[SocketAddress], any Error>?
    private var done = false

    func install(_ continuation: UnsafeContinuation<[SocketAddress], any Error>) {
        let pending: Result<[SocketAddress], any Error>? = lock.withLock {
            if let early { return early }
            self.continuation = continuation
            return nil
        }
        if let pending { continuation.resume(with: pending) }
    }

    func finish(_ result: Result<[SocketAddress], any Error>) {
        let waiter: UnsafeContinuation<[SocketAddress], any Error>? = lock.withLock {
            if done { return nil }
            done = true
            guard let continuation else {
                early = result
                return nil
            }
            self.continuation = nil
            return continuation
        }
        waiter?.resume(with: result)
    }
}
