import Sockets
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for a termination signal through Dispatch signal sources, without a blocked thread.
enum SignalWaiter {
    /// Returns on SIGTERM or SIGINT.
    static func waitForTermination() async {
        await wait(for: [SIGTERM, SIGINT])
    }

    /// Returns when one of `signals` arrives. The default action of each is disabled first
    /// (`SIG_IGN`), as Dispatch signal sources require, so the process is not killed.
    static func wait(for signals: [Int32]) async {
        let queue = DispatchQueue(label: "imap-gateway.http.signals")
        let pending = Protected<CheckedContinuation<Void, Never>?>(nil)
        let fired = Protected(false)
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let continuation = pending.withLock { continuation in
                    defer { continuation = nil }
                    return continuation
                }
                fired.withLock { $0 = true }
                continuation?.resume()
            }
            source.resume()
            sources.append(source)
        }
        await withCheckedContinuation { continuation in
            let alreadyFired = fired.withLock { $0 }
            if alreadyFired {
                continuation.resume()
            } else {
                pending.withLock { $0 = continuation }
            }
        }
        for source in sources { source.cancel() }
    }
}
