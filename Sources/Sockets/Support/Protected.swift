import Foundation

/// A value behind a lock, for small state shared between tasks and Dispatch handlers (counters,
/// session state read synchronously, registries). One type for every layer above Sockets.
///
/// `@unchecked Sendable` is safe: `value` is only touched inside `withLock`, which holds `lock`
/// for the whole closure. (Not `Synchronization.Mutex`: that needs macOS 15.)
public final class Protected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value as it is now.
    public var current: Value { withLock { $0 } }
}
