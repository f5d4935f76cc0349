import IMAPClient
import Logging

/// The `MailSession` the gateway runs on: an `IMAPConnection`, its errors mapped to `MailFailure`.
final class IMAPConnectionSession: MailSession {
    let connection: IMAPConnection

    private init(_ connection: IMAPConnection) { self.connection = connection }

    /// The client's settings for the configured server.
    static func serverConfiguration(for configuration: GatewayConfiguration) -> IMAPServerConfiguration {
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
        server.ignoredCapabilities = Set(endpoint.ignoredCapabilities.map(Capability.init))
        return server
    }

    /// Connects and logs in; a failed login closes the connection (it never joins the pool).
    static func open(_ server: IMAPServerConfiguration, account: Account, logger: Logger) async throws(MailFailure) -> any MailSession {
        let connection: IMAPConnection
        do {
            connection = try await IMAPConnection.connect(server, logger: logger)
        } catch {
            throw map(error, unreachable: true)
        }
        do {
            try await connection.authenticate(.password(user: account.user, password: account.password))
        } catch {
            connection.close()
            throw map(error)
        }
        return IMAPConnectionSession(connection)
    }

    /// Whether the server greets within `timeout`, for `/ready`.
    static func probeGreeting(_ server: IMAPServerConfiguration, within timeout: Duration, logger: Logger) async -> Bool {
        var probe = server
        probe.connectTimeout = timeout
        probe.greetingTimeout = timeout
        guard let connection = try? await IMAPConnection.connect(probe, logger: logger) else { return false }
        connection.close()
        return true
    }

    func capabilities() async -> [Capability] {
        Array(connection.capabilities)
    }

    func listFolders(subscribedOnly: Bool, includeStatus: Bool) async throws(MailFailure) -> [FolderListing] {
        do {
            return try await connection.list(pattern: "*", subscribedOnly: subscribedOnly, includeStatus: includeStatus).map {
                FolderListing(name: $0.name, delimiter: $0.delimiter, attributes: $0.attributes,
                              subscribed: $0.subscribed ?? subscribedOnly, status: $0.status)
            }
        } catch {
            throw Self.map(error)
        }
    }

    func select(_ folder: MailboxName, readOnly: Bool) async throws(MailFailure) -> FolderState {
        do {
            return Self.state(try await connection.select(folder, readOnly: readOnly))
        } catch let IMAPError.no(command, text) where text.code == nil {
            // Dovecot answers a missing mailbox with a bare `NO Mailbox doesn't exist`; a NO to
            // SELECT/EXAMINE without a code means the folder cannot be opened: not found.
            throw .rejected(command: command, code: .nonExistent, text: text.text)
        } catch {
            throw Self.map(error)
        }
    }

    func selectedFolder() async -> FolderState? {
        connection.selected.map(Self.state)
    }

    func uidSearch(_ key: SearchKey) async throws(MailFailure) -> [UID] {
        do { return try await connection.uidSearch(key) } catch { throw Self.map(error) }
    }

    func uidFetch(_ uids: UIDSet, _ fields: [FetchField]) async throws(MailFailure) -> [FetchResponse] {
        do { return try await connection.uidFetch(uids, Self.items(fields)) } catch { throw Self.map(error) }
    }

    func fetch(_ messages: SequenceNumberSet, _ fields: [FetchField]) async throws(MailFailure) -> [FetchResponse] {
        do { return try await connection.fetch(messages, Self.items(fields)) } catch { throw Self.map(error) }
    }

    private static func items(_ fields: [FetchField]) -> [FetchItem] {
        fields.map {
            switch $0 {
            case .uid: .uid
            case .flags: .flags
            case .envelope: .envelope
            case .bodyStructure: .bodyStructure
            case .size: .rfc822Size
            case .internalDate: .internalDate
            case .bodyPeek(let section, let partial):
                .bodyPeek(section: section, partial: partial.map { (offset: $0.lowerBound, length: $0.count) })
            }
        }
    }

    func noop() async throws(MailFailure) {
        do { try await connection.noop() } catch { throw Self.map(error) }
    }

    func isUsable() async -> Bool { connection.isUsable }

    func logout() async {
        await connection.logout()
    }

    private static func state(_ mailbox: SelectedMailbox) -> FolderState {
        FolderState(name: mailbox.name, exists: mailbox.exists, recent: mailbox.recent, uidNext: mailbox.uidNext,
                    uidValidity: mailbox.uidValidity ?? 0, flags: mailbox.flags, permanentFlags: mailbox.permanentFlags,
                    readOnly: mailbox.readOnly, highestModSeq: mailbox.highestModSeq)
    }

    /// The client's errors in the gateway's terms. `unreachable` marks errors while connecting.
    static func map(_ error: any Error, unreachable: Bool = false) -> MailFailure {
        guard let error = error as? IMAPError else { return .protocolViolation("\(error)") }
        switch error {
        case .connection(let socketError):
            return unreachable ? .unreachable("\(socketError)") : .connectionLost("\(socketError)")
        case .timedOut(let command):
            return unreachable ? .unreachable("no answer in time (\(command))") : .timedOut(command)
        case .no(let command, let text):
            return .rejected(command: command, code: text.code, text: text.text)
        case .bad(let command, let text):
            return .badCommand(command: command, text: text.text)
        case .bye(let text):
            return unreachable ? .unreachable(text.text) : .connectionLost(text.text)
        case .authenticationFailed(let text):
            return .authenticationFailed(text.text)
        case .startTLSNotOffered:
            return .unreachable(error.description)
        case .missingExtension(let capability):
            return .missingExtension(capability.rawValue)
        case .protocolViolation(let what):
            return .protocolViolation(what)
        case .parse(let parseError):
            return .protocolViolation("\(parseError)")
        case .disconnected:
            return unreachable ? .unreachable(error.description) : .connectionLost(error.description)
        case .invalidArgument(let what):
            return .invalidArgument(what)
        }
    }
}
