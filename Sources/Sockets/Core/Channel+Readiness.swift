import Dispatch

/// Readiness sources, the deadline timer and descriptor release. Everything here runs with
/// the lock held, except the handlers, which take it.
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

    /// Runs on `queue` when a source fires. Takes the lock.
    private func handleReadiness(_ interest: Interest) {
        let (first, second): (Completion?, Completion?) = lock.withLock {
            guard !state.isClosed else { return (nil, nil) }
            let readerWaits = state.reader?.interest == interest
            let writerWaits = state.writer?.interest == interest
            let first = readerWaits ? retry(writeSlot: false) : nil
            let second = writerWaits ? retry(writeSlot: true) : nil
            if interest == .readable && state.readArmed && !readerWaits && !writerWaits {
                // Disarmed lazily: only when readiness finds nobody waiting for it. After a
                // completed read the source stays armed, so a request/response loop, whose next
                // read parks again a moment later, re-arms nothing: resuming a source costs a
                // wake-up of libdispatch's manager thread and an epoll_ctl every time.
                state.readSource?.suspend()
                state.readArmed = false
            }
            updateSources()
            return (first, second)
        }
        first?.resume()
        second?.resume()
    }

    /// Runs on `queue` when the deadline timer fires. Takes the lock.
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
            updateSources()
            return (first, second)
        }
        first?.resume()
        second?.resume()
    }

    private var wantsReadable: Bool {
        state.reader?.interest == .readable || state.writer?.interest == .readable
    }

    private var wantsWritable: Bool {
        state.reader?.interest == .writable || state.writer?.interest == .writable
    }

    /// Arms the sources pending operations need; disarms the write source when nobody needs it
    /// (a writable socket would otherwise wake us constantly).
    func updateSources() {
        if wantsReadable && !state.readArmed {
            if let source = state.readSource {
                source.resume()
            } else {
                let source = DispatchSource.makeReadSource(fileDescriptor: state.fd, queue: queue)
                source.setEventHandler { [self] in handleReadiness(.readable) }
                source.setCancelHandler { [self] in sourceDidCancel() }
                state.readSource = source
                source.resume()
            }
            state.readArmed = true
        }
        let wantsWritable = self.wantsWritable
        if wantsWritable && !state.writeArmed {
            if let source = state.writeSource {
                source.resume()
            } else {
                // The write source watches a duplicate of the descriptor. On Linux libdispatch
                // multiplexes a read and a write source on one descriptor through a single
                // EPOLLONESHOT registration, and suspending and resuming them independently can
                // leave the read source disarmed for good: a parked read then never wakes although
                // megabytes are queued (seen with a read and a write pending at once). A second
                // descriptor has its own registration, so the two sources cannot disturb each other.
                let fd = state.fd
                let watched = Syscall.duplicate(fd) ?? fd
                let source = DispatchSource.makeWriteSource(fileDescriptor: watched, queue: queue)
                source.setEventHandler { [self] in handleReadiness(.writable) }
                source.setCancelHandler { [self] in
                    // The source no longer watches it, so the duplicate can go now.
                    if watched != fd { Syscall.close(watched) }
                    sourceDidCancel()
                }
                state.writeSource = source
                source.resume()
            }
            state.writeArmed = true
        } else if !wantsWritable && state.writeArmed {
            state.writeSource?.suspend()
            state.writeArmed = false
        }
    }

    /// Makes the timer fire no later than `deadline`. Only moves it earlier: a timer that fires
    /// early finds nothing expired and re-schedules itself for the earliest pending deadline.
    func scheduleTimer(_ deadline: DispatchTime) {
        if let current = state.timerDeadline, current <= deadline { return }
        state.timerDeadline = deadline
        if let timer = state.timer {
            timer.schedule(deadline: deadline, leeway: .milliseconds(5))
        } else {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [self] in handleTimer() }
            timer.schedule(deadline: deadline, leeway: .milliseconds(5))
            state.timer = timer
            timer.resume()
        }
    }

    /// Runs on `queue` once per cancelled source; the last one closes the descriptor, so the
    /// number is never reused while epoll still watches it.
    private func sourceDidCancel() {
        lock.withLock {
            state.sourcesAwaitingCancel -= 1
            if state.sourcesAwaitingCancel == 0 {
                Syscall.close(state.fd)
            }
        }
    }
}
