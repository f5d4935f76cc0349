import Sockets
/// The open connections, so that shutdown can close idle ones at once and busy ones later,
/// and the connection caps can be enforced fairly (see `ConnectionLimits`).
final class ConnectionRegistry: Sendable {
    /// One registered connection. Marking it idle or busy touches only this object (no lookup).
    // @unchecked Sendable: `isIdle` and `isAuthenticated` are only read or written while holding
    // the registry's lock; `client`, `isCapped` and `onProbation` never change after init.
    final class Handle: @unchecked Sendable {
        let transport: any HTTPTransport
        /// The peer's address without the port.
        let client: String
        /// Whether the per-client caps apply (not for trusted proxies).
        let isCapped: Bool
        /// Admitted into the slots kept for authenticated work: it must authenticate on its
        /// first request or close after it.
        let onProbation: Bool
        fileprivate var isIdle = true
        fileprivate var isAuthenticated = false

        init(transport: any HTTPTransport, client: String, isCapped: Bool, onProbation: Bool) {
            self.transport = transport
            self.client = client
            self.isCapped = isCapped
            self.onProbation = onProbation
        }
    }

    /// Why a connection was turned away (a metric label).
    enum Rejection: String, Error, Sendable {
        case capacity = "capacity"
        case perClient = "per_client"
        case perClientUnauthenticated = "per_client_unauthenticated"
        /// The unauthenticated share is full and this address already has unauthenticated
        /// connections: it may not take a reserved slot too.
        case unauthenticatedShare = "unauthenticated_share"
        case shuttingDown = "shutting_down"
    }

    private struct PerClient {
        var total = 0
        var unauthenticated = 0
    }

    private struct State {
        var handles: [ObjectIdentifier: Handle] = [:]
        var perClient: [String: PerClient] = [:]
        var unauthenticated = 0
        var isDraining = false
    }

    private let state = Protected(State())

    /// Registers a new connection from `client`, or says why not. A new connection counts as
    /// unauthenticated until a request on it authenticates.
    func register(_ transport: any HTTPTransport, client: String, limits: ConnectionLimits) -> Result<Handle, Rejection> {
        let capped = !ClientAddress.isTrusted(client, limits.trustedProxies)
        return state.withLock { state -> Result<Handle, Rejection> in
            guard !state.isDraining else { return .failure(.shuttingDown) }
            guard state.handles.count < limits.maxConnections else { return .failure(.capacity) }
            let counts = state.perClient[client] ?? PerClient()
            if capped {
                guard counts.total < limits.maxPerClient else { return .failure(.perClient) }
                guard counts.unauthenticated < limits.maxUnauthenticatedPerClient else {
                    return .failure(.perClientUnauthenticated)
                }
            }
            // Beyond the unauthenticated share the connection may still use a reserved slot, on
            // probation: it must authenticate at once or leave (see `HTTPConnection`). Only an
            // address with no unauthenticated connection open gets one, so a crowd that filled
            // the share cannot churn through the reserved slots as well.
            let probation = state.unauthenticated >= limits.maxConnections - limits.reservedForAuthenticated
            if probation, capped, counts.unauthenticated > 0 { return .failure(.unauthenticatedShare) }
            let handle = Handle(transport: transport, client: client, isCapped: capped, onProbation: probation)
            state.handles[ObjectIdentifier(handle)] = handle
            state.perClient[client, default: PerClient()].total += 1
            state.perClient[client, default: PerClient()].unauthenticated += 1
            state.unauthenticated += 1
            return .success(handle)
        }
    }

    func unregister(_ handle: Handle) {
        state.withLock { state in
            guard state.handles.removeValue(forKey: ObjectIdentifier(handle)) != nil else { return }
            var counts = state.perClient[handle.client] ?? PerClient()
            counts.total -= 1
            if !handle.isAuthenticated {
                counts.unauthenticated -= 1
                state.unauthenticated -= 1
            }
            state.perClient[handle.client] = counts.total > 0 ? counts : nil
        }
    }

    /// A request on the connection authenticated: it leaves the unauthenticated counts.
    func markAuthenticated(_ handle: Handle) {
        state.withLock { state in
            guard !handle.isAuthenticated, state.handles[ObjectIdentifier(handle)] != nil else { return }
            handle.isAuthenticated = true
            state.unauthenticated -= 1
            state.perClient[handle.client]?.unauthenticated -= 1
        }
    }

    func isAuthenticated(_ handle: Handle) -> Bool {
        state.withLock { _ in handle.isAuthenticated }
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

    /// Open connections not (yet) authenticated.
    var unauthenticatedCount: Int { state.withLock { $0.unauthenticated } }

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

/// How connection slots are shared, so that no one client, and no crowd of clients that never
/// authenticate, can take them all.
struct ConnectionLimits: Sendable {
    var maxConnections: Int
    /// Open connections per client address (peer address; trusted proxies are exempt).
    var maxPerClient: Int
    /// Open connections per client address that have not authenticated yet.
    var maxUnauthenticatedPerClient: Int
    /// Slots unauthenticated connections cannot fill: beyond `maxConnections - reserved`
    /// unauthenticated ones, a new connection is admitted on probation only.
    var reservedForAuthenticated: Int
    var trustedProxies: [IPNetwork]
}
