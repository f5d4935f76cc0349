import Sockets

extension GatewayContext {
    /// The caps and the shutdown switch of this gateway's event streams.
    ///
    /// Kept in a side table rather than a stored property so the events feature stays out of
    /// `GatewayContext`'s file (owned elsewhere); the lead may move it into the class as
    /// `let eventStreams` and call `eventStreams.shutdown()` from `Gateway.shutdown()`.
    public var eventStreams: EventStreamLimits { EventStreamRegistry.limits(of: self) }
}

/// One `EventStreamLimits` per live `GatewayContext`.
private enum EventStreamRegistry {
    /// `weak let`: an entry never keeps a gateway alive; a dead entry is replaced (its address
    /// may be reused by a new context) or pruned.
    private final class Entry: Sendable {
        weak let context: GatewayContext?
        let limits: EventStreamLimits
        init(context: GatewayContext, limits: EventStreamLimits) {
            self.context = context
            self.limits = limits
        }
    }

    private static let entries = Protected<[ObjectIdentifier: Entry]>([:])

    static func limits(of context: GatewayContext) -> EventStreamLimits {
        entries.withLock { entries in
            if let entry = entries[ObjectIdentifier(context)], entry.context === context { return entry.limits }
            entries = entries.filter { $0.value.context != nil }
            let limits = EventStreamLimits(configuration: context.configuration.events)
            entries[ObjectIdentifier(context)] = Entry(context: context, limits: limits)
            return limits
        }
    }
}
