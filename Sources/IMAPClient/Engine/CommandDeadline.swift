import Sockets

/// The time a server has to answer one exchange (the greeting, one command), from start to end.
///
/// A per-read timeout lets a server that sends one byte a second hold a command forever; this
/// deadline bounds the whole exchange instead. Two things move it, so it stays about the server:
/// - time the gateway itself spends inside the command (handing a chunk to a slow HTTP client,
///   reading an upload's next chunk from its client) is not the server's and is added back;
/// - every `bytesPerGraceSecond` received earn one more second, so a big answer that keeps
///   flowing at a sane rate is never cut off, while a drip of bytes earns nothing worth having.
struct CommandDeadline: Sendable {
    /// Received bytes that earn one second: 64 KiB/s is the slowest transfer still taken as progress.
    static let bytesPerGraceSecond = 64 * 1024

    private(set) var instant: ContinuousClock.Instant
    private var receivedSinceGrace = 0

    init(after timeout: Duration, from start: ContinuousClock.Instant = .now) {
        instant = start + timeout
    }

    /// What is left; throws `SocketError.timedOut` when nothing is.
    func remaining(now: ContinuousClock.Instant = .now) throws(SocketError) -> Duration {
        let left = instant - now
        guard left > .zero else { throw .timedOut(operation: "IMAP exchange") }
        return left
    }

    /// Counts received bytes toward the progress grace.
    mutating func received(_ count: Int) {
        receivedSinceGrace += count
        let seconds = receivedSinceGrace / Self.bytesPerGraceSecond
        guard seconds > 0 else { return }
        receivedSinceGrace -= seconds * Self.bytesPerGraceSecond
        instant += .seconds(seconds)
    }

    /// Adds back time spent on the gateway's side of the exchange.
    mutating func excuse(_ duration: Duration) {
        if duration > .zero { instant += duration }
    }

    /// Runs `body` (the gateway's own work inside an exchange) without charging its time to the server.
    mutating func excusing<T>(_ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { excuse(.now - start) }
        return try await body()
    }
}
