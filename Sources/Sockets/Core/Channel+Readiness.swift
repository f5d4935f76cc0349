#if canImport(Glibc)
import Glibc
#endif
import CEpoll
import Dispatch

/// Readiness from the reactor, the deadline timer, and registration. Everything here runs
/// with the lock held, except the handlers, which take it.
extension Channel {
    /// Retries the operation in one slot after readiness; returns its completion if it finished.
    private func retry(writeSlot: Bool) -> Completion? {
        guard var operation = writeSlot ? state.writer : state.reader else { return nil }
        // Out of the slot while it runs: `attempt` touches `state` too.
        if writeSlot { state.writer = nil } else { state.reader = nil }
        switch attempt(&operation.kind) {
        case .wait(let interest):
            operation.interest = interest
            if writeSlot { state.writer = operation } else { state.reader = operation }
            return nil
        case .completed(let outcome):
            return Completion(continuation: operation.continuation, result: .success(outcome))
        case .failed(let error):
            return Completion(continuation: operation.continuation, result: .failure(error))
        }
    }

    /// Runs on a reactor thread for each batch of epoll events on the descriptor. Takes the lock.
    func handleEvents(_ mask: UInt32) {
        let hangUp = EPOLLHUP.rawValue | EPOLLERR.rawValue
        let readable = mask & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | hangUp) != 0
        let writable = mask & (EPOLLOUT.rawValue | hangUp) != 0
        let (first, second): (Completion?, Completion?) = lock.withLock {
            guard !state.isClosed else { return (nil, nil) }
            // Counted even when nobody waits: an operation between its failed attempt and its
            // parking sees the count move and tries again (edges are announced only once).
            state.readinessEvents &+= 1
            if mask & (EPOLLRDHUP.rawValue | hangUp) != 0 { state.peerHungUp = true }
            let wakes = { (interest: Interest?) in
                interest == .readable ? readable : interest == .writable ? writable : false
            }
            let first = wakes(state.reader?.interest) ? retry(writeSlot: false) : nil
            let second = wakes(state.writer?.interest) ? retry(writeSlot: true) : nil
            return (first, second)
        }
        first?.resume()
        second?.resume()
    }

    /// Runs on `timerQueue` when the deadline timer fires. Takes the lock.
    private func handleTimer() {
        let (first, second): (Completion?, Completion?) = lock.withLock {
            state.timerDeadline = nil
            guard !state.isClosed else { return (nil, nil) }
            let now = DispatchTime.now()
            var first: Completion?
            var second: Completion?
            if let reader = state.reader, let deadline = reader.deadline, deadline <= now {
                state.reader = nil
                first = Completion(continuation: reader.continuation, result: .failure(SocketError.timedOut(operation: reader.name.description)))
            }
            if let writer = state.writer, let deadline = writer.deadline, deadline <= now {
                state.writer = nil
                second = Completion(continuation: writer.continuation, result: .failure(SocketError.timedOut(operation: writer.name.description)))
            }
            let next = [state.reader?.deadline, state.writer?.deadline].compactMap { $0 }.min()
            if let next { scheduleTimer(next) }
            return (first, second)
        }
        first?.resume()
        second?.resume()
    }

    /// Registers the descriptor with its reactor the first time an operation has to wait, so
    /// a channel whose every operation completes at once never costs an `epoll_ctl`.
    func ensureRegistered() throws(SocketError) {
        guard state.reactor == nil else { return }
        let reactor = Reactor.forDescriptor(state.fd)
        try reactor.register(state.fd, for: self)
        state.reactor = reactor
    }

    /// Makes the timer fire no later than `deadline`. Only moves it earlier: a timer that fires
    /// early finds nothing expired and re-schedules itself for the earliest pending deadline.
    func scheduleTimer(_ deadline: DispatchTime) {
        if let current = state.timerDeadline, current <= deadline { return }
        state.timerDeadline = deadline
        if let timer = state.timer {
            timer.schedule(deadline: deadline, leeway: .milliseconds(5))
        } else {
            let timer = DispatchSource.makeTimerSource(queue: TimerQueues.queue(for: state.fd))
            timer.setEventHandler { [self] in handleTimer() }
            timer.schedule(deadline: deadline, leeway: .milliseconds(5))
            state.timer = timer
            timer.resume()
        }
    }
}
