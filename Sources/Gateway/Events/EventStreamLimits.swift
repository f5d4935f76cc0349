import HTTPServer
import Sockets

/// Counts open event streams per account and in all (each holds an IMAP session of its own,
/// outside the pool, for hours), and ends them all at shutdown.
public final class EventStreamLimits: Sendable {
    private let configuration: EventStreamConfiguration

    private struct State {
        var perAccount: [String: Int] = [:]
        /// Shared streams (mirror on) per account, under `watchedPerAccount`.
        var sharedPerAccount: [String: Int] = [:]
        var total = 0
        /// How to end each open stream, by slot number.
        var stops: [Int: @Sendable () -> Void] = [:]
        var nextSlot = 0
        var isShutDown = false
    }

    private let state = Protected(State())

    init(configuration: EventStreamConfiguration) {
        self.configuration = configuration
    }

    /// Streams open now.
    public var openCount: Int { state.withLock { $0.total } }

    /// Takes a slot for `user`, or throws 429 (a cap reached, with `Retry-After`) or 503
    /// (shutting down). The slot is freed by `EventStreamSlot.release()` or when it is dropped.
    ///
    /// A `shared` stream (mirror on: fed by the folder's watcher, no IMAP session of its own) is
    /// under `watchedPerAccount` instead of `perAccount` (the watchers it shares are capped per
    /// account by `--mirror-watchers-per-account`), and under the global cap.
    func reserve(for user: String, shared: Bool = false) throws(HTTPError) -> EventStreamSlot {
        enum Outcome { case slot(Int), shutDown, accountFull(Int), globalFull }
        let outcome: Outcome = state.withLock { state in
            if state.isShutDown { return .shutDown }
            if shared {
                if state.sharedPerAccount[user, default: 0] >= configuration.watchedPerAccount {
                    return .accountFull(configuration.watchedPerAccount)
                }
            } else if state.perAccount[user, default: 0] >= configuration.perAccount {
                return .accountFull(configuration.perAccount)
            }
            if state.total >= configuration.global { return .globalFull }
            if shared { state.sharedPerAccount[user, default: 0] += 1 } else { state.perAccount[user, default: 0] += 1 }
            state.total += 1
            state.nextSlot += 1
            return .slot(state.nextSlot)
        }
        switch outcome {
        case .slot(let number):
            return EventStreamSlot(limits: self, user: user, shared: shared, number: number)
        case .shutDown:
            throw Problem.retryLater(503, "shutting-down", title: "Shutting down",
                                     detail: "The gateway is shutting down; reconnect shortly.", after: .seconds(5))
        case .accountFull(let cap):
            throw Problem.retryLater(429, "too-many-event-streams", title: "Too many event streams",
                                     detail: "This account has \(cap) event stream(s) open, the most allowed; close one first.",
                                     after: configuration.retryAfter)
        case .globalFull:
            throw Problem.retryLater(429, "too-many-event-streams", title: "Too many event streams",
                                     detail: "The gateway has \(configuration.global) event streams open, the most allowed.",
                                     after: configuration.retryAfter)
        }
    }

    /// Ends every open stream (each stops IDLE, logs out and closes its body) and refuses new
    /// ones with 503. Call before `HTTPServer.shutdown()`, so streams do not use up its grace period.
    public func shutdown() {
        let stops = state.withLock { state in
            state.isShutDown = true
            return Array(state.stops.values)
        }
        for stop in stops { stop() }
    }

    /// Registers how to end the stream holding `slot`; runs `stop` at once after `shutdown()`.
    fileprivate func onShutdown(_ slot: Int, _ stop: @escaping @Sendable () -> Void) {
        let shutDown = state.withLock { state in
            if !state.isShutDown { state.stops[slot] = stop }
            return state.isShutDown
        }
        if shutDown { stop() }
    }

    fileprivate func release(_ slot: Int, user: String, shared: Bool) {
        state.withLock { state in
            state.stops[slot] = nil
            state.total -= 1
            if shared {
                let left = state.sharedPerAccount[user, default: 1] - 1
                state.sharedPerAccount[user] = left > 0 ? left : nil
            } else {
                let left = state.perAccount[user, default: 1] - 1
                state.perAccount[user] = left > 0 ? left : nil
            }
        }
    }
}

/// One open stream's place under the caps. Freed exactly once: by `release()` when the stream
/// ends, or by `deinit` when the response is dropped unsent (a HEAD, a client gone before the head).
final class EventStreamSlot: Sendable {
    private let limits: EventStreamLimits
    private let user: String
    /// Counted under `watchedPerAccount` instead of `perAccount`.
    private let shared: Bool
    private let number: Int
    private let released = Protected(false)
    /// The stream's connection in the account's budget (`AccountBudget`), given back with the slot.
    private let connection = Protected<ConnectionSlot?>(nil)

    fileprivate init(limits: EventStreamLimits, user: String, shared: Bool, number: Int) {
        self.limits = limits
        self.user = user
        self.shared = shared
        self.number = number
    }

    /// Runs `stop` when the gateway shuts down while the stream is open.
    func onShutdown(_ stop: @escaping @Sendable () -> Void) {
        limits.onShutdown(number, stop)
    }

    /// Takes over the stream's connection slot, released with this slot.
    func hold(_ slot: ConnectionSlot) {
        connection.withLock { $0 = slot }
    }

    func release() {
        let first = released.withLock { released in
            defer { released = true }
            return !released
        }
        if first {
            limits.release(number, user: user, shared: shared)
            connection.withLock { $0 }?.release()
        }
    }

    deinit { release() }
}
