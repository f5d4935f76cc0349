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
            if state.isClosed || (state.isOutputShut && kind.usesWriteSlot) { return (.failed(.closed), id, false) }
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
        // Nothing may run beside a handshake: a write would drive OpenSSL mid-handshake.
        if case .handshake? = state.reader?.kind { return true }
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
}
