import Foundation

/// Runs blocking work (starting, stopping or killing Dovecot polls with sleeps) on a Dispatch
/// thread and awaits it, so it cannot starve the small cooperative pool the code under test runs
/// on (two threads on the test machine).
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// The same for work that cannot throw.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}
