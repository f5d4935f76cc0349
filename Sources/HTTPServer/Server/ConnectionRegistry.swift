/// The open connections, so that shutdown can close idle ones at once and busy ones later,
/// and the connection cap can be enforced.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let transport: any HTTPTransport
        var isIdle: Bool
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var isDraining = false
    }

    private let state = Locked(State())

    /// Registers a new connection; nil when `limit` connections are already open or the
    /// server is shutting down.
    func register(_ transport: any HTTPTransport, limit: Int) -> UInt64? {
        state.withLock { state in
            guard !state.isDraining, state.entries.count < limit else { return nil }
            state.nextID += 1
            state.entries[state.nextID] = Entry(transport: transport, isIdle: true)
            return state.nextID
        }
    }

    func unregister(_ id: UInt64) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// Marks a connection as waiting for its next request. Returns false if the server is
    /// shutting down: the connection should close instead of waiting.
    func enterIdle(_ id: UInt64) -> Bool {
        state.withLock { state in
            guard !state.isDraining else { return false }
            state.entries[id]?.isIdle = true
            return true
        }
    }

    /// Marks a connection as serving a request.
    func enterBusy(_ id: UInt64) {
        state.withLock { $0.entries[id]?.isIdle = false }
    }

    var isDraining: Bool { state.withLock { $0.isDraining } }

    var count: Int { state.withLock { $0.entries.count } }

    /// Stops new registrations and closes every idle connection; busy ones finish their request.
    func beginDraining() {
        let idle = state.withLock { state in
            state.isDraining = true
            return state.entries.values.filter(\.isIdle).map(\.transport)
        }
        for transport in idle { transport.close() }
    }

    /// Closes every connection still open (the grace period is over).
    func closeAll() {
        let all = state.withLock { $0.entries.values.map(\.transport) }
        for transport in all { transport.close() }
    }
}
