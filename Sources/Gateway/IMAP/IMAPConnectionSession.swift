import IMAP
import IMAPClient
import Logging
import Sockets

/// The `MailSession` the gateway runs on: an `IMAPConnection`, forwarded. The client throws
/// `IMAPError` for everything the server or the socket does; what else can surface (a cancelled
/// task) is mapped once, in `map`.
final class IMAPConnectionSession: MailSession {
    let connection: IMAPConnection
    /// Write commands begun on this session (`writesStarted`), counted before they are sent.
    let writeCount = Protected<Int>(0)

    private init(_ connection: IMAPConnection) { self.connection = connection }

    /// The client's settings for the configured server; every command sent on a connection made
    /// with them is reported to `commandObserver` (the metrics).
    static func serverConfiguration(for configuration: GatewayConfiguration,
                                    commandObserver: IMAPCommandObserver? = nil) -> IMAPServerConfiguration {
        let endpoint = configuration.imap
        let mode: IMAPTLSMode = switch endpoint.security {
        case .implicitTLS: .implicit
        case .startTLS: .startTLS
        case .none: .none
        }
        var server = IMAPServerConfiguration(
            host: endpoint.host, port: endpoint.port, tlsMode: mode,
            tls: TLSClientConfiguration(caFile: endpoint.caFile, insecureSkipVerification: endpoint.insecureSkipVerify),
            commandTimeout: configuration.imapCommandTimeout)
        // --imap-timeout bounds the greeting too (a server that accepts and never greets is a 504
        // after it, not a 502 after a fixed 10 s), and the TCP connect.
        server.greetingTimeout = configuration.imapCommandTimeout
        server.connectTimeout = min(server.connectTimeout, configuration.imapCommandTimeout)
        server.ignoredCapabilities = Set(endpoint.ignoredCapabilities.map(Capability.init))
        server.commandObserver = commandObserver
        return server
    }

    /// Connects and logs in; a failed login closes the connection (it never joins the pool).
    static func open(_ server: IMAPServerConfiguration, account: Account, logger: Logger) async throws(IMAPError) -> any MailSession {
        let connection: IMAPConnection
        do {
            connection = try await IMAPConnection.connect(server, logger: logger)
        } catch {
            throw map(error)
        }
        do {
            if let client = LoginOrigin.clientAddress {
                try await connection.identify(originatingAddress: client)
            }
            try await connection.authenticate(account.credentials)
        } catch {
            connection.close()
            throw map(error)
        }
        return IMAPConnectionSession(connection)
    }

    /// Whether the server greets within `timeout`, for `/ready`.
    static func probeGreeting(_ server: IMAPServerConfiguration, within timeout: Duration, logger: Logger) async -> Bool {
        var settings = server
        settings.connectTimeout = timeout
        settings.greetingTimeout = timeout
        let probe = settings
        // Connect and greeting each have `timeout`; the answer must come within it in all, so
        // the attempt races a timer and whichever ends first decides.
        let decided = Protected<CheckedContinuation<Bool, Never>?>(nil)
        return await withCheckedContinuation { continuation in
            decided.withLock { $0 = continuation }
            let decide: @Sendable (Bool) -> Void = { ready in
                let waiting = decided.withLock { pending in
                    defer { pending = nil }
                    return pending
                }
                waiting?.resume(returning: ready)
            }
            let attempt = Task {
                let connection = try? await IMAPConnection.connect(probe, logger: logger)
                connection?.close()
                decide(connection != nil)
            }
            Task {
                try? await Task.sleep(for: timeout)
                attempt.cancel()
                decide(false)
            }
        }
    }

    func capabilities() async -> [Capability] {
        Array(connection.capabilities)
    }

    func enable(_ capabilities: [Capability]) async throws(IMAPError) -> Set<Capability> {
        try await Self.forward { try await connection.enable(capabilities) }
    }

    func listFolders(subscribedOnly: Bool, includeStatus: Bool) async throws(IMAPError) -> [MailboxListing] {
        try await Self.forward {
            try await connection.list(pattern: "*", subscribedOnly: subscribedOnly, includeStatus: includeStatus).map {
                var listing = $0
                listing.subscribed = listing.subscribed ?? subscribedOnly
                return listing
            }
        }
    }

    func select(_ folder: MailboxName, readOnly: Bool) async throws(IMAPError) -> SelectedMailbox {
        let selected: SelectedMailbox
        do {
            do {
                selected = try await connection.select(folder, readOnly: readOnly)
            } catch IMAPError.no(_, let text) where text.code == .serverBug || text.code == .corruption {
                // The server's process for this session is in trouble with the folder, and stays
                // so: Dovecot, when a session that had a folder selected meets the folder deleted
                // and created anew, may mark the new index corrupted; a process that had opened
                // the new one then fails every SELECT of it until it logs out. Closing the
                // session makes it a lost connection, which a read retries on a fresh one.
                connection.close()
                throw IMAPError.disconnected
            }
        } catch let IMAPError.no(command, text) where text.code == nil {
            // Dovecot answers a missing mailbox with a bare `NO Mailbox doesn't exist`; a NO to
            // SELECT/EXAMINE without a code means the folder cannot be opened: not found.
            throw .no(command: command, ResponseText(code: .nonExistent, text: text.text))
        } catch {
            throw Self.map(error)
        }
        _ = try selected.requireUIDValidity()
        return selected
    }

    func selectedFolder() async -> SelectedMailbox? {
        connection.selected
    }

    func uidSearch(_ key: SearchKey) async throws(IMAPError) -> [UID] {
        try await Self.forward { try await connection.uidSearch(key) }
    }

    func uidFetch(_ uids: UIDSet, _ items: [FetchItem]) async throws(IMAPError) -> [FetchResponse] {
        try await Self.forward { try await connection.uidFetch(uids, items) }
    }

    func uidFetchEach(_ uids: UIDSet, _ items: [FetchItem], _ body: (FetchResponse) async throws -> Void) async throws {
        try await connection.uidFetchEach(uids, items, body)
    }

    func fetch(_ messages: SequenceNumberSet, _ items: [FetchItem]) async throws(IMAPError) -> [FetchResponse] {
        try await Self.forward { try await connection.fetch(messages, items) }
    }

    func noop() async throws(IMAPError) {
        try await Self.forward { try await connection.noop() }
    }

    func idle(until deadline: ContinuousClock.Instant, onEvent: @escaping @Sendable (UntaggedResponse) -> Void) async throws(IMAPError) {
        try await Self.forward { try await connection.idle(until: deadline, onEvent: onEvent) }
    }

    func observeMailboxChanges(_ observer: @escaping @Sendable (UntaggedResponse) -> Void) {
        connection.observeMailboxChanges(observer)
    }

    func isUsable() async -> Bool { connection.isUsable }

    func writesStarted() async -> Int? { writeCount.withLock { $0 } }

    func logout() async {
        await connection.logout()
    }

    /// Runs one client call, its errors as `IMAPError`.
    static func forward<Result>(_ body: () async throws -> Result) async throws(IMAPError) -> Result {
        do { return try await body() } catch { throw map(error) }
    }

    /// Anything the client let through as an `IMAPError`. The client throws `IMAPError` for all
    /// it sees; a cancelled task is the only other thing that reaches here, and leaves the
    /// session in an unknown state, like a lost connection.
    static func map(_ error: any Error) -> IMAPError {
        if let error = error as? IMAPError { return error }
        if error is CancellationError { return .disconnected }
        return .protocolViolation("\(error)")
    }
}
