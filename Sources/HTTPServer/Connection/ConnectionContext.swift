import Logging

/// What every connection of one server shares.
struct ConnectionContext: Sendable {
    let configuration: HTTPServerConfiguration
    let router: Router
    let cors: CORSPolicy
    let logger: Logger
    let observer: (any HTTPServerObserver)?
    let registry: ConnectionRegistry
}
