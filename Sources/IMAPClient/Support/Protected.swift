import Foundation

/// A value guarded by a lock, for state read synchronously (`isUsable`, `selected`) while commands
/// run on other tasks.
// @unchecked Sendable: `value` is only touched inside `withLock`, which holds `lock`.
final class Protected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value { withLock { $0 } }
}
