import Dispatch

/// What a channel knows, all of it guarded by `Channel.lock`.
struct ChannelState {
    let fd: Int32
    var isClosed = false
    /// After `shutdownWrite()`: writes fail with `SocketError.closed`, reads go on.
    var isOutputShut = false
    /// The pending read, accept, connect or handshake.
    var reader: PendingOperation?
    /// The pending write.
    var writer: PendingOperation?
    var nextOperationID: UInt64 = 0
    /// Operations in a row that completed without waiting; see `Channel.yieldInterval`.
    var immediateStreak = 0
    /// The reactor watching the descriptor, once an operation first had to wait.
    var reactor: Reactor?
    /// Readiness events seen so far. An operation notes the count when it tries its call and
    /// parks only if no event came in since: edge-triggered readiness is announced only once.
    var readinessEvents: UInt64 = 0
    /// `readinessEvents` when a plain read last found the receive queue empty, nil when it did
    /// not. While the count stays there, no byte has arrived since (each arrival is an event):
    /// the next read parks without a `recv` that could only say EAGAIN. In a request/response
    /// loop that is one system call saved per request.
    var drainedAtEvent: UInt64?
    /// The reactor reported the peer's end of stream or an error. Both stay readable without
    /// announcing themselves again, so from then on every read tries its call.
    var peerHungUp = false
    var timer: DispatchSourceTimer?
    /// When the timer will next fire, nil if it is idle.
    var timerDeadline: DispatchTime?
    var tls: TLSState?
}

/// A non-blocking descriptor, its registration with a `Reactor`, and the (at most two)
/// operations waiting on it. Every operation first tries its call right away on the caller's
/// thread; only when that would block does it park a continuation that readiness, the
/// deadline timer, cancellation or `close()` resumes.
// @unchecked Sendable: all mutable state lives in `state`, which is only read or written
// while holding `lock` (handlers, fast paths, cancellation and close all take it).
final class Channel: @unchecked Sendable {
    /// After this many operations in a row complete without waiting, the task yields once.
    /// A peer that keeps the socket full would otherwise let a read loop run without ever
    /// suspending and starve other tasks of the (two) cooperative threads.
    static let yieldInterval = 16

    let lock = Lock()
    var state: ChannelState

    init(fd: Int32) {
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
        let (first, id, shouldYield, seenEvents): (AttemptResult, UInt64, Bool, UInt64) = lock.withLock {
            state.nextOperationID &+= 1
            let id = state.nextOperationID
            let seen = state.readinessEvents
            if state.isClosed || (state.isOutputShut && kind.usesWriteSlot) { return (.failed(.closed), id, false, seen) }
            if isSlotBusy(for: kind) { return (.failed(.operationInProgress(operation: name.description)), id, false, seen) }
            // A connect in progress waits for its first event; any earlier one says nothing.
            if let waitFirst { return (.wait(waitFirst), id, false, seen) }
            if case .read = kind, state.reactor != nil, state.tls == nil, !state.peerHungUp, state.drainedAtEvent == seen {
                return (.wait(.readable), id, false, seen)
            }
            let result = attempt(&kind)
            guard case .completed = result else {
                state.immediateStreak = 0
                return (result, id, false, seen)
            }
            state.immediateStreak += 1
            if state.immediateStreak < Channel.yieldInterval { return (result, id, false, seen) }
            state.immediateStreak = 0
            return (result, id, true, seen)
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
                    continuation: continuation), seenEvents: seenEvents)
            }
        } onCancel: {
            self.cancelOperation(id: id)
        }
    }

    /// Closes the descriptor (after taking it out of its reactor) and fails pending operations
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
            // Out of epoll before the number can be reused; the reactor drops its reference.
            state.reactor?.deregister(state.fd)
            state.reactor = nil
            Syscall.close(state.fd)
            return (first, second)
        }
        first?.resume()
        second?.resume()
    }

    var isClosed: Bool { lock.withLock { state.isClosed } }

    // MARK: - Parking and waking (lock held unless noted)

    private func isSlotBusy(for kind: OperationKind) -> Bool {
        // Nothing may run beside a handshake: a write would drive OpenSSL mid-handshake.
        if case .handshake? = state.reader?.kind { return true }
        if kind.usesWriteSlot { return state.writer != nil }
        if case .handshake = kind { return state.reader != nil || state.writer != nil }
        return state.reader != nil
    }

    /// Stores a would-block operation until readiness, or tries it again at once when an event
    /// came in since its attempt (`seenEvents`). Takes the lock.
    private func park(_ operation: PendingOperation, seenEvents: UInt64) {
        var operation = operation
        let result: Result<IOOutcome, any Error>? = lock.withLock {
            if state.isClosed { return .failure(SocketError.closed) }
            // Checked under the lock, so a cancellation that ran before we were stored is seen here.
            if Task.isCancelled { return .failure(CancellationError()) }
            if isSlotBusy(for: operation.kind) {
                return .failure(SocketError.operationInProgress(operation: operation.name.description))
            }
            do throws(SocketError) {
                try ensureRegistered()
            } catch {
                return .failure(error)
            }
            // Not for a connect: until its first event, "no error yet" means "still connecting".
            if state.readinessEvents != seenEvents, !operation.kind.isConnect {
                switch attempt(&operation.kind) {
                case .completed(let outcome): return .success(outcome)
                case .failed(let error): return .failure(error)
                case .wait(let interest): operation.interest = interest
                }
            }
            if let deadline = operation.deadline {
                if deadline <= DispatchTime.now() { return .failure(SocketError.timedOut(operation: operation.name.description)) }
                scheduleTimer(deadline)
            }
            if operation.kind.usesWriteSlot { state.writer = operation } else { state.reader = operation }
            return nil
        }
        if let result { operation.continuation.resume(with: result) }
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
            return Completion(continuation: taken.continuation, result: .failure(CancellationError()))
        }
        completion?.resume()
    }
}
