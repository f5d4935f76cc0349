#if canImport(Glibc)
import Glibc
#endif

/// A child inherits the signal mask of the thread that spawns it, and Dispatch and Swift
/// concurrency threads block most signals. Dovecot's master never unblocks them, so spawned from
/// a test's thread it would ignore SIGTERM for good (graceful stop and the watchdog both fail).
enum SignalMask {
    /// Runs `body` with this thread's signal mask empty, then restores it.
    static func withNothingBlocked<T>(_ body: () throws -> T) rethrows -> T {
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}
