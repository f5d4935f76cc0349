import Sockets
/// The open connections, so that shutdown can close idle ones at once and busy ones later,
/// and the connection cap can be enforced.
final class ConnectionRegistry: Sendable {
    /// One registered connection. Marking it idle or busy touches only this object (no lookup).
    // @unchecked Sendable: `isIdle` is only read or written while holding the registry's lock.
    final class Handle: @unchecked Sendable {
        let transport: any HTTPTransport
        fileprivate var isIdle = true

        init(transport: any HTTPTransport) { self.transport = transport }
    }

    private struct State {
        var handles: [ObjectIdentifier: Handle] = [:]
        var isDraining = false
    }

    private let state = Protected(State())

    /// Registers a new connection; nil when `limit` connections are already open or the
    /// server is shutting down.
    func register(_ transport: any HTTPTransport, limit: Int) -> Handle? {
        state.withLock { state in
            guard !state.isDraining, state.handles.count < limit else { return nil }
            let handle = Handle(transport: transport)
            state.handles[ObjectIdentifier(handle)] = handle
            return handle
        }
    }

    func unregister(_ handle: Handle) {
        _ = state.withLock { $0.handles.removeValue(forKey: ObjectIdentifier(handle)) }
    }

    /// Marks a connection as waiting for its next request. Returns false if the server is
    /// shutting down: the connection should close instead of waiting.
    func enterIdle(_ handle: Handle) -> Bool {
        state.withLock { state in
            guard !state.isDraining else { return false }
            handle.isIdle = true
            return true
        }
    }

    /// Marks a connection as serving a request.
    func enterBusy(_ handle: Handle) {
        state.withLock { _ in handle.isIdle = false }
    }

    var isDraining: Bool { state.withLock { $0.isDraining } }

    var count: Int { state.withLock { $0.handles.count } }

    /// Stops new registrations and closes every idle connection; busy ones finish their request.
    func beginDraining() {
        let idle = state.withLock { state in
            state.isDraining = true
            return state.handles.values.filter(\.isIdle).map(\.transport)
        }
        for transport in idle { transport.close() }
    }

    /// Closes every connection still open (the grace period is over).
    func closeAll() {
        let all = state.withLock { $0.handles.values.map(\.transport) }
        for transport in all { transport.close() }
    }
}
