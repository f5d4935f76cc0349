import Logging
import Sockets

/// One IMAP session, authenticated or not.
///
/// Commands are serialised internally (a FIFO gate), so callers may call concurrently; operations
/// made of several commands (MOVE's fallback, LIST then STATUS) hold the gate throughout, so no
/// other caller's SELECT can slip in between.
public final class IMAPConnection: Sendable {
    let configuration: IMAPServerConfiguration
    let logger: Logger
    let stream: SocketStream
    let state: Protected<SessionState>
    let gate = CommandGate()
    let reader: ResponseReader

    init(configuration: IMAPServerConfiguration, logger: Logger, stream: SocketStream) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "imap.server"] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
        self.stream = stream
        self.state = Protected(SessionState())
        self.reader = ResponseReader(limits: configuration.parserLimits)
    }

    /// What the server offers (from the greeting, CAPABILITY or the login's OK), minus any the
    /// configuration ignores.
    public var capabilities: Set<Capability> {
        state.withLock { $0.serverCapabilities }.subtracting(configuration.ignoredCapabilities)
    }

    /// What ENABLE turned on.
    public var enabledCapabilities: Set<Capability> { state.withLock { $0.enabled } }

    /// False after BYE, a socket error, a timeout, a fatal parse error, `close()` or `logout()`.
    public var isUsable: Bool { state.withLock { $0.usable } && !stream.isClosed }

    /// Whether LOGIN/AUTHENTICATE succeeded or the server greeted with PREAUTH.
    public var isAuthenticated: Bool { state.withLock { $0.authenticated } }

    /// The selected mailbox, kept current by EXISTS, EXPUNGE and VANISHED.
    public var selected: SelectedMailbox? { state.withLock { $0.selected } }

    /// The version of this session's view of its selected mailbox (`MailboxViewVersion`): the
    /// same value twice means the session heard of no change and made none in between.
    public var mailboxViewVersion: MailboxViewVersion { state.withLock { $0.viewVersion } }

    /// Registers a function told about every mailbox change the server reports, whichever
    /// command it arrives with (EXISTS, EXPUNGE, VANISHED, FETCH carrying FLAGS, BYE): for
    /// invalidating caches. It runs on the connection's task and must return quickly.
    public func observeMailboxChanges(_ observer: @escaping @Sendable (UntaggedResponse) -> Void) {
        state.withLock { $0.mailboxObserver = observer }
    }

    /// Drops the connection without LOGOUT; a running command fails with `IMAPError.disconnected`.
    public func close() {
        state.withLock { $0.usable = false }
        stream.close()
    }

    /// Sends LOGOUT (briefly waiting for the answer) and closes. Never throws.
    public func logout() async {
        await gate.acquire()
        defer { gate.release() }
        if state.withLock({ $0.usable }) && !stream.isClosed {
            do {
                try await send(.logout, timeout: min(configuration.commandTimeout, .seconds(5)))
            } catch {
                logger.debug("LOGOUT did not complete cleanly", metadata: ["error": "\(error)"])
            }
        }
        close()
    }

    /// Marks the session dead and closes the socket (after an I/O failure mid-command the
    /// stream's position in the protocol is unknown).
    func invalidate(_ reason: String) {
        logger.debug("IMAP connection unusable", metadata: ["reason": "\(reason)"])
        close()
    }

    /// The encoder for the session's current capabilities.
    var encoder: CommandEncoder {
        let enabled = state.withLock { $0.enabled }
        return CommandEncoder(capabilities: capabilities, utf8Accepted: enabled.contains(.utf8Accept))
    }

    /// Whether mailbox names travel as UTF-8 (UTF8=ACCEPT enabled) rather than modified UTF-7.
    var namesAreUTF8: Bool { state.withLock { $0.enabled.contains(.utf8Accept) } }
}
