import Logging

/// What every connection of one server shares. A class so that a connection reads settings
/// through one reference instead of copying the configuration (strings, arrays) per request.
final class ConnectionContext: Sendable {
    let configuration: HTTPServerConfiguration
    let router: Router
    let cors: CORSPolicy
    let logger: Logger
    let observer: (any HTTPServerObserver)?
    let registry: ConnectionRegistry

    init(configuration: HTTPServerConfiguration, router: Router, cors: CORSPolicy, logger: Logger,
         observer: (any HTTPServerObserver)?, registry: ConnectionRegistry) {
        self.configuration = configuration
        self.router = router
        self.cors = cors
        self.logger = logger
        self.observer = observer
        self.registry = registry
    }
}
