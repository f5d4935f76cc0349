import Foundation

/// A value behind a lock, for small state shared by request tasks (throttle counters).
///
/// `@unchecked Sendable` is safe: `value` is only touched inside `withLock`, which holds `lock`
/// for the whole closure.
final class Protected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
