import Foundation
@testable import Sockets

/// What a channel is waiting for, read under its lock. Tests that need an operation to be parked
/// (its continuation stored, the descriptor in the reactor) before they close or cancel wait on
/// these with a deadline instead of sleeping and hoping it has parked.
extension Channel {
    /// A read or accept is parked.
    var hasParkedRead: Bool { lock.withLock { state.reader != nil } }
    /// A write is parked (the socket's send buffer is full).
    var hasParkedWrite: Bool { lock.withLock { state.writer != nil } }
    /// The reactor has reported the peer's end of stream.
    var hasSeenHangUp: Bool { lock.withLock { state.peerHungUp } }
}

/// How many descriptors this process has open (/proc/self/fd). A connect in progress has no
/// channel a test can see until it completes, but its socket shows up here as soon as it exists.
/// (/proc/net/tcp would name its SYN_SENT state, but sandboxes such as gVisor do not list a
/// process's sockets there.)
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
}
