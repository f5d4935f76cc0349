#if canImport(Glibc)
import Glibc
#endif
import CEpoll
import Foundation

/// Readiness for every channel: one epoll instance and one thread per core, descriptors
/// registered once, edge-triggered, for reading and writing.
///
/// Why not Dispatch read and write sources: on Linux libdispatch registers each source with
/// EPOLLONESHOT on its manager thread. Every event then costs three thread hand-overs (the
/// manager's `epoll_wait`, a worker that runs the handler, the manager again through an
/// eventfd to re-arm with `epoll_ctl`) before the continuation is resumed at all. `perf` put
/// that machinery at about 40 % of the CPU a keep-alive request cost. Here an event costs one
/// hand-over: the reactor thread runs the channel's retry and resumes the continuation, and
/// one `epoll_wait` delivers every connection that became ready meanwhile.
///
/// Edge-triggered readiness is only announced once; `Channel` counts events so that an edge
/// that arrives between a failed attempt and the parking of its operation is never lost.
// @unchecked Sendable: `channels` is only touched under `lock`; `epollFD` is immutable.
final class Reactor: @unchecked Sendable {
    private let epollFD: Int32
    private let lock = Lock()
    /// The channel registered for each descriptor number, indexed by descriptor.
    private var channels: [Channel?] = []

    /// Events one `epoll_wait` can return.
    private static let batchSize = 128

    /// One per core, at most `maxReactors`: in a container the count is the host's cores, not
    /// the container's share, and a handful of threads already moves more events than the
    /// handlers they resume can use.
    private static let reactors: [Reactor] = {
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        return (0..<min(cores, maxReactors)).map { Reactor(index: $0) }
    }()

    private static let maxReactors = 8

    /// The reactor for a descriptor; spreading by descriptor number is good enough and free.
    static func forDescriptor(_ fd: Int32) -> Reactor {
        reactors[Int(fd) % reactors.count]
    }

    private init(index: Int) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(fd >= 0, "epoll_create1 failed: errno \(errno)")
        epollFD = fd
        let thread = Thread { [self] in run() }
        thread.name = "Sockets.reactor.\(index)"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Starts watching `fd` for `channel`. An event for a descriptor that is ready already is
    /// delivered at once, so nothing that arrived before registration is missed.
    func register(_ fd: Int32, for channel: Channel) throws(SocketError) {
        let failure: Int32? = lock.withLock {
            let index = Int(fd)
            if index >= channels.count {
                channels.append(contentsOf: repeatElement(nil, count: max(index + 1, channels.count * 2, 64) - channels.count))
            }
            channels[index] = channel
            var event = epoll_event()
            event.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
            event.data.fd = fd
            guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
                channels[index] = nil
                return errno
            }
            return nil
        }
        if let failure { throw SocketError.failed(call: "epoll_ctl", errno: failure) }
    }

    /// Stops watching `fd`; call before closing it. An event already taken from the kernel may
    /// still reach the channel afterwards, which then finds itself closed and ignores it.
    func deregister(_ fd: Int32) {
        lock.withLock {
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
            if Int(fd) < channels.count { channels[Int(fd)] = nil }
        }
    }

    private func run() {
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Self.batchSize)
        var ready: [(Channel, UInt32)] = []
        ready.reserveCapacity(Self.batchSize)
        while true {
            let count = epoll_wait(epollFD, events, Int32(Self.batchSize), -1)
            if count < 0 {
                if errno == EINTR { continue }
                fatalError("epoll_wait failed: errno \(errno)")
            }
            lock.withLock {
                for index in 0..<Int(count) {
                    let fd = Int(events[index].data.fd)
                    // A descriptor closed (and perhaps reused) since: the new channel gets a
                    // spurious event, which costs it one extra attempt and nothing else.
                    if fd < channels.count, let channel = channels[fd] {
                        ready.append((channel, events[index].events))
                    }
                }
            }
            for (channel, mask) in ready {
                channel.handleEvents(mask)
            }
            ready.removeAll(keepingCapacity: true)
        }
    }
}
