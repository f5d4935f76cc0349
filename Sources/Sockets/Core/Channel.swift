import Dispatch

/// What a channel knows, all of it guarded by `Channel.lock`.
struct ChannelState {
    let fd: Int32
    var isClosed = false
    /// The pending read, accept, connect or handshake.
    var reader: PendingOperation?
    /// The pending write.
    var writer: PendingOperation?
    var nextOperationID: UInt64 = 0
    /// Operations in a row that completed without waiting; see `Channel.yieldInterval`.
    var immediateStreak = 0
    var readSource: DispatchSourceRead?
    var readArmed = false
    var writeSource: DispatchSourceWrite?
    var writeArmed = false
    var timer: DispatchSourceTimer?
    /// When the timer will next fire, nil if it is idle.
    var timerDeadline: DispatchTime?
    /// The descriptor is closed only after every source using it has run its cancel handler.
    var sourcesAwaitingCancel = 0
    var tls: TLSState?
}

/// A non-blocking descriptor, its Dispatch readiness sources, and the (at most two) operations
/// waiting on it. Every operation first tries its call right away on the caller's thread; only
/// when that would block does it park a continuation that a readiness source, the timer,
/// cancellation or `close()` resumes.
// @unchecked Sendable: all mutable state lives in `state`, which is only read or written
// while holding `lock` (handlers, fast paths, cancellation and close all take it).
final class Channel: @unchecked Sendable {
    /// After this many operations in a row complete without waiting, the task yields once.
    /// A peer that keeps the socket full would otherwise let a read loop run without ever
    /// suspending and starve other tasks of the (two) cooperative threads.
    static let yieldInterval = 16

    let lock = Lock()
    let queue: DispatchQueue
    var state: ChannelState

    init(fd: Int32) {
        queue = EventQueues.queue(for: fd)
        state = ChannelState(fd: fd)
    }

    deinit {
        // Owners close in their deinit; this only guards against a leaked descriptor.
        if !state.isClosed {
            if let tls = state.tls { TLSState.free(tls) }
            Syscall.close(state.fd)
        }
    }

    /// Runs one operation to completion: immediately if the descriptor is ready, otherwise
    /// after readiness. `waitFirst` skips the first try (a connect in progress must wait).
    func perform(
        _ kind: OperationKind, name: OperationName, deadline: DispatchTime?, waitFirst: Interest? = nil
    ) async throws -> IOOutcome {
        var kind = kind
        let (first, id, shouldYield): (AttemptResult, UInt64, Bool) = lock.withLock {
            state.nextOperationID &+= 1
            let id = state.nextOperationID
            if state.isClosed { return (.failed(.closed), id, false) }
            if isSlotBusy(for: kind) { return (.failed(.operationInProgress(operation: name.description)), id, false) }
            if let waitFirst { return (.wait(waitFirst), id, false) }
            let result = attempt(&kind)
            guard case .completed = result else {
                state.immediateStreak = 0
                return (result, id, false)
            }
            state.immediateStreak += 1
            if state.immediateStreak < Channel.yieldInterval { return (result, id, false) }
            state.immediateStreak = 0
            return (result, id, true)
        }
        let interest: Interest
        switch first {
        case .completed(let outcome):
            if shouldYield { await Task.yield() }
            return outcome
        case .failed(let error): throw error
        case .wait(let wanted): interest = wanted
        }
        let parked = kind
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<IOOutcome, any Error>) in
                park(PendingOperation(
                    id: id, kind: parked, interest: interest, deadline: deadline, name: name,
                    continuation: continuation))
            }
        } onCancel: {
            self.cancelOperation(id: id)
        }
    }

    /// Closes the descriptor (after its sources are cancelled) and fails pending operations
    /// with `SocketError.closed`. Idempotent.
    func close() {
        let (first, second): (Completion?, Completion?) = lock.withLock {
            guard !state.isClosed else { return (nil, nil) }
            state.isClosed = true
            if let tls = state.tls {
                TLSState.shutdownAndFree(tls)
                state.tls = nil
            }
            let first = state.reader.map { Completion(continuation: $0.continuation, result: .failure(SocketError.closed)) }
            let second = state.writer.map { Completion(continuation: $0.continuation, result: .failure(SocketError.closed)) }
            state.reader = nil
            state.writer = nil
            state.timer?.cancel()
            state.timerDeadline = nil
            var awaiting = 0
            if let source = state.readSource {
                source.cancel()
                // A suspended source never runs its cancel handler (and must not be released
                // suspended), so resume it once more.
                if !state.readArmed { source.resume() }
                awaiting += 1
            }
            if let source = state.writeSource {
                source.cancel()
                if !state.writeArmed { source.resume() }
                awaiting += 1
            }
            state.readArmed = false
            state.writeArmed = false
            state.sourcesAwaitingCancel = awaiting
            if awaiting == 0 { Syscall.close(state.fd) }
            return (first, second)
        }
        first?.resume()
        second?.resume()
    }

    var isClosed: Bool { lock.withLock { state.isClosed } }

    // MARK: - Parking and waking (lock held unless noted)

    private func isSlotBusy(for kind: OperationKind) -> Bool {
        if kind.usesWriteSlot { return state.writer != nil }
        if case .handshake = kind { return state.reader != nil || state.writer != nil }
        return state.reader != nil
    }

    /// Stores a would-block operation and arms what it waits for. Takes the lock.
    private func park(_ operation: PendingOperation) {
        let failure: (any Error)? = lock.withLock {
            if state.isClosed { return SocketError.closed }
            // Checked under the lock, so a cancellation that ran before we were stored is seen here.
            if Task.isCancelled { return CancellationError() }
            if isSlotBusy(for: operation.kind) { return SocketError.operationInProgress(operation: operation.name.description) }
            if let deadline = operation.deadline {
                if deadline <= DispatchTime.now() { return SocketError.timedOut(operation: operation.name.description) }
                scheduleTimer(deadline)
            }
            if operation.kind.usesWriteSlot { state.writer = operation } else { state.reader = operation }
            updateSources()
            return nil
        }
        if let failure { operation.continuation.resume(throwing: failure) }
    }

    /// Takes the lock.
    private func cancelOperation(id: UInt64) {
        let completion: Completion? = lock.withLock {
            var taken: PendingOperation?
            if let reader = state.reader, reader.id == id {
                taken = reader
                state.reader = nil
            } else if let writer = state.writer, writer.id == id {
                taken = writer
                state.writer = nil
            }
            guard let taken else { return nil }
            updateSources()
            return Completion(continuation: taken.continuation, result: .failure(CancellationError()))
        }
        completion?.resume()
    }

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
            let first = state.reader?.interest == interest ? retry(writeSlot: false) : nil
            let second = state.writer?.interest == interest ? retry(writeSlot: true) : nil
            if interest == .readable && state.readArmed && !wantsReadable {
                // Disarmed lazily, here, rather than after every read: a request/response loop
                // then re-arms nothing between requests.
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
    private func updateSources() {
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
                let source = DispatchSource.makeWriteSource(fileDescriptor: state.fd, queue: queue)
                source.setEventHandler { [self] in handleReadiness(.writable) }
                source.setCancelHandler { [self] in sourceDidCancel() }
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
    private func scheduleTimer(_ deadline: DispatchTime) {
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
