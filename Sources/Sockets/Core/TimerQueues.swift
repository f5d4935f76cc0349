#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// The few serial queues that run the channels' deadline timers. A timer handler only fails
/// an expired operation, so a queue per core is plenty; a queue per connection would cost
/// memory with 1,000 idle connections and buy nothing. (Readiness comes from `Reactor`.)
enum TimerQueues {
    private static let queues: [DispatchQueue] = {
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        return (0..<min(cores, 8)).map { DispatchQueue(label: "Sockets.timers.\($0)", qos: .userInitiated) }
    }()

    /// The queue for a descriptor; spreading by descriptor number is good enough and free.
    static func queue(for fd: Int32) -> DispatchQueue {
        queues[Int(fd) % queues.count]
    }
}
