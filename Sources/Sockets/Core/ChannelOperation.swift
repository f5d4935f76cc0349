import Dispatch

/// Which readiness an operation waits for. TLS may turn a read into a wait for writability.
enum Interest: Equatable {
    case readable
    case writable
}

/// What a channel can be asked to do; `write` carries the bytes still to send.
enum OperationKind {
    case read(maxBytes: Int)
    case write(ArraySlice<UInt8>)
    case connect
    case accept
    case handshake

    var isConnect: Bool {
        if case .connect = self { return true }
        return false
    }

    /// Writes use their own slot so one task can read while another writes.
    var usesWriteSlot: Bool {
        if case .write = self { return true }
        return false
    }
}

/// Names an operation in error messages. Text is built only when an error needs it, so a
/// read does not allocate a string for a timeout that almost never happens.
enum OperationName: CustomStringConvertible {
    case read(from: String)
    case write(to: String)
    case accept(port: Int)
    case text(String)

    var description: String {
        switch self {
        case .read(let peer): return "read from \(peer)"
        case .write(let peer): return "write to \(peer)"
        case .accept(let port): return "accept on port \(port)"
        case .text(let text): return text
        }
    }
}

/// A finished operation's value.
enum IOOutcome {
    case bytes([UInt8])
    case done
    case accepted(fd: Int32, address: SocketAddress)
}

/// One try of an operation against the non-blocking descriptor.
enum AttemptResult {
    case completed(IOOutcome)
    case failed(SocketError)
    case wait(Interest)
}

/// An operation parked until its descriptor is ready, its deadline passes, it is cancelled,
/// or the channel closes — whichever comes first takes it out of its slot and resumes it.
struct PendingOperation {
    let id: UInt64
    var kind: OperationKind
    var interest: Interest
    let deadline: DispatchTime?
    let name: OperationName
    let continuation: UnsafeContinuation<IOOutcome, any Error>
}

/// A continuation taken out of its slot, resumed after the lock is released.
struct Completion {
    let continuation: UnsafeContinuation<IOOutcome, any Error>
    let result: Result<IOOutcome, any Error>

    func resume() { continuation.resume(with: result) }
}

extension Duration {
    /// Nanoseconds, clamped to what DispatchTime can take; negative becomes zero.
    var clampedNanoseconds: Int {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        if seconds >= Int64(Int.max / 1_000_000_000) - 1 { return Int.max / 2 }
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}

enum Deadline {
    /// The deadline `timeout` from now, or nil for no timeout.
    static func after(_ timeout: Duration?) -> DispatchTime? {
        guard let timeout else { return nil }
        return fromNow(timeout)
    }

    /// The deadline `timeout` from now.
    static func fromNow(_ timeout: Duration) -> DispatchTime {
        DispatchTime.now() + .nanoseconds(timeout.clampedNanoseconds)
    }
}
