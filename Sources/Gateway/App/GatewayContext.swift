import HTTPServer
import IMAP
import IMAPClient
import Logging

/// What every route needs: configuration, the session pool, authentication, a logger.
public final class GatewayContext: Sendable {
    public let configuration: GatewayConfiguration
    public let pool: SessionPool<SessionHandle>
    /// The IMAP connections each account may hold: pooled sessions, event streams and mirror
    /// watchers draw their slots from it (`--account-max-connections`).
    public var connectionBudget: AccountBudget { pool.budget }
    /// Holds back new IMAP connections after throttling answers and refused connections
    /// (`--imap-backoff-base`, `--imap-backoff-max`); `login` consults it.
    public let connectionBackoff: ConnectionBackoff
    public let logger: Logger
    let authenticator: Authenticator
    let openSession: SessionOpener
    /// The bytes of `openapi.yaml`, read once at start-up (nil when the file was missing).
    let openAPIDocument: [UInt8]?
    /// Connects and waits for the greeting only, for `/ready`.
    let probeGreeting: @Sendable () async -> Bool
    /// Prometheus counters for `/metrics`; the HTTP server and every session feed it.
    public let metrics: GatewayMetrics
    /// The caps and the shutdown switch of `GET /folders/{folder}/events` streams.
    public let eventStreams: EventStreamLimits
    /// Raw messages recently read (immutable per UIDVALIDITY and UID).
    public let bodyCache: MessageBodyCache
    /// Moves out of a folder, one at a time per account and folder (`ExclusiveMoves`).
    let moveGates = KeyedGate<MirrorKey>()
    /// The folder mirrors; nil with `--mirror off`.
    public let mirrors: FolderMirrors?
    /// The folder watchers keeping mirrors current (IDLE); nil with `--mirror off`.
    public let watchers: FolderWatchers?

    init(configuration: GatewayConfiguration, logger: Logger, openSession: @escaping SessionOpener,
         probeGreeting: @escaping @Sendable () async -> Bool, openAPIDocument: [UInt8]?, metrics: GatewayMetrics) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.openSession = openSession
        self.probeGreeting = probeGreeting
        self.openAPIDocument = openAPIDocument
        pool = SessionPool(configuration: configuration.pool,
                           budget: AccountBudget(perAccount: configuration.accountMaxConnections), logger: logger)
        eventStreams = EventStreamLimits(configuration: configuration.events)
        bodyCache = MessageBodyCache(maxBytes: configuration.bodyCacheMaxBytes,
                                     maxMessageBytes: configuration.bodyCacheMaxMessageBytes)
        mirrors = configuration.mirrorEnabled
            ? FolderMirrors(maxBytes: configuration.mirrorMaxBytes, inlineFillLimit: configuration.mirrorInlineFillLimit,
                            fillChunkSize: configuration.mirrorFillChunk) : nil
        connectionBackoff = ConnectionBackoff(base: configuration.imapBackoffBase, cap: configuration.imapBackoffMax)
        watchers = configuration.mirrorEnabled
            ? FolderWatchers(perAccount: configuration.mirrorWatchersPerAccount, quietPeriod: configuration.mirrorWatchIdle) : nil
        authenticator = Authenticator(mode: configuration.auth, failureLimit: configuration.authFailureLimit,
                                      failureWindow: configuration.authFailureWindow, proofWindow: configuration.oauthProofWindow)
    }

    /// Who the request acts for, or a 401/429.
    func caller(of request: HTTPRequest) throws(HTTPError) -> Caller {
        do {
            return try authenticator.authenticate(request)
        } catch {
            if error.status == 401 { metrics.authenticationFailed() }
            throw error
        }
    }

    /// Runs `body` on a pooled session of the caller's account with `folder` selected (EXAMINE
    /// for reads, SELECT for writes) unless the session already has it so; `body` gets the
    /// folder's state as the session knows it. An unknown folder is a 404 before `body` runs.
    public func withFolder<Result: Sendable>(
        _ caller: Caller, _ folder: MailboxName, access: SessionAccess,
        _ body: @Sendable (any MailSession, SelectedMailbox) async throws -> Result
    ) async throws -> Result {
        try await leasing(caller, folder: folder, access: access) { session, selection in
            // A view the server cast doubt on (SelectedMailbox.inDoubt) is selected afresh.
            if let current = selection, current.serves(folder, access: access), let known = await session.selectedFolder(), !known.inDoubt {
                let result = try await body(session, known)
                return (result, await noteSelection(current, of: session, caller))
            }
            // Until the SELECT succeeds the session has no folder the pool could count on.
            selection = nil
            let selected = try await session.select(folder, readOnly: access == .read)
            let fresh = FolderSelection(folder: folder, readOnly: selected.readOnly)
            selection = fresh
            let result = try await body(session, selected)
            return (result, await noteSelection(fresh, of: session, caller))
        }
    }

    /// The selection to return `session` with after a request, with the folder's UIDVALIDITY as
    /// the session now knows it (the request may have selected it afresh). A UIDVALIDITY other
    /// than the one recorded goes to the pool, which voids other sessions' views of the deleted
    /// folder (`SessionPool.noteSelected`).
    private func noteSelection(_ selection: FolderSelection, of session: any MailSession, _ caller: Caller) async -> FolderSelection {
        guard let now = await session.selectedFolder(), now.name.wireBytes == selection.folder.wireBytes,
              let uidValidity = now.uidValidity else { return selection }
        var noted = selection
        noted.uidValidity = uidValidity
        if selection.uidValidity != uidValidity {
            await pool.noteSelected(selection.folder, uidValidity: uidValidity, account: caller.account.key)
        }
        return noted
    }

    /// Runs `body` on a pooled session of the caller's account, whatever folder it has selected
    /// (LIST, CREATE, STATUS...).
    public func withSession<Result: Sendable>(
        _ caller: Caller, access: SessionAccess,
        _ body: @Sendable (any MailSession) async throws -> Result
    ) async throws -> Result {
        try await leasing(caller, folder: nil, access: access) { session, selection in
            (try await body(session), selection)
        }
    }

    /// The lease around `withFolder` and `withSession`: a session idle for long is NOOPed
    /// first; when the session dies under a read (BYE, socket error) the account's idle sessions
    /// are dropped and the read runs once more on a session opened for it; writes are never
    /// repeated. `body` answers the result and the selection
    /// to return the session with; `selection` holds it meanwhile, so that a failure returns the
    /// session with what it really has selected.
    private func leasing<Result: Sendable>(
        _ caller: Caller, folder: MailboxName?, access: SessionAccess,
        _ body: @Sendable (any MailSession, inout FolderSelection?) async throws -> (Result, FolderSelection?)
    ) async throws -> Result {
        // Watched folders of the account revalidate until their watchers synced after this write.
        let receipt = access == .write ? WriteReceipt() : nil
        defer { if access == .write { watchers?.writeEnded(account: caller.account.key.user, receipt: receipt) } }
        var retried = false
        var stalePings = 0
        while true {
            // OAuth: a token not proven lately logs in first, once for all its concurrent requests.
            // A retry never takes a pooled session: it would likely share the failure.
            let lease = try await acquireSession(caller, folder: folder, access: access, fresh: retried)
            let session = lease.connection.session
            if !lease.isFresh, lease.idleTime > configuration.pool.noopAfterIdle {
                do {
                    try await session.noop()
                } catch {
                    // Nothing of this request has run yet: any session may take over, even for a write.
                    await pool.discard(lease)
                    stalePings += 1
                    if stalePings > configuration.pool.perAccount { throw error }
                    continue
                }
            }
            var selection = lease.selection
            do {
                let (result, kept) = try await WriteReceipt.$current.withValue(receipt) { try await body(session, &selection) }
                await pool.release(lease, selection: kept)
                return result
            } catch {
                if let failure = error as? IMAPError, noteBackoff(failure, user: caller.account.user, duringLogin: false) == .throttled {
                    // A throttled provider is best served by fewer connections (and Office 365's
                    // "authenticated but not connected" session never recovers).
                    await pool.discard(lease)
                    throw error
                }
                guard await session.isUsable() else {
                    await pool.discard(lease)
                    if (error as? IMAPError)?.isConnectionLoss == true {
                        // The server dropped this session: its idle siblings most likely died with it.
                        await pool.discardIdle(of: caller.account.key)
                    }
                    // A write the server refused before the session was lost changed nothing: it may run again too.
                    let refused = error as? RefusedWriteSessionLost
                    if access == .read || refused != nil, !retried, (error as? IMAPError)?.isConnectionLoss == true || refused != nil {
                        retried = true
                        logger.info("IMAP session lost during a read; retrying once on a fresh session",
                                    metadata: ["account": "\(caller.account.user)"])
                        continue
                    }
                    throw refused?.loss ?? error
                }
                // A NO leaves the session usable; `selection` is nil when the SELECT itself failed.
                await pool.release(lease, selection: selection)
                throw error
            }
        }
    }

    /// Opens a logged-in pooled session.
    func open(for caller: Caller) async throws -> SessionHandle {
        let session = try await login(caller) { [self] () throws(IMAPError) in try await openSession(caller.account) }
        // The mirrors' one-command revalidation needs QRESYNC turned on (MailSession+Revalidate.swift).
        if mirrors != nil {
            do { try await session.enableQResyncIfOffered() } catch {
                await session.logout()
                throw error
            }
        }
        return SessionHandle(session)
    }

    /// Runs a login for `caller`; its outcome feeds the failed-login throttle, the connection
    /// backoff and the auth-failure metric, whichever kind of session it opens (pooled, an event
    /// stream's, a watcher's). While a backoff runs it throws `ConnectionBackoffActive` without
    /// trying to connect.
    func login(_ caller: Caller, _ open: () async throws(IMAPError) -> any MailSession) async throws -> any MailSession {
        try connectionBackoff.check(caller.account.user)
        // Past the failed-login limit, a login of this (address, user) pair waits a penalty first
        // and is then tried: a right password still gets through (LoginThrottle).
        await authenticator.throttle.waitPenalty(client: caller.client, user: caller.account.user)
        // The opener forwards the client's address to the IMAP server (LoginOrigin).
        let opened: Result<any MailSession, IMAPError> = await LoginOrigin.$clientAddress.withValue(caller.client) {
            do throws(IMAPError) { return .success(try await open()) } catch { return .failure(error) }
        }
        do {
            let session = try opened.get()
            authenticator.loginSucceeded(caller)
            connectionBackoff.succeeded(caller.account.user)
            return session
        } catch {
            // A throttled login says nothing about the credentials: no failed-login penalty for it.
            let backoff = noteBackoff(error, user: caller.account.user, duringLogin: true)
            if backoff != .throttled, case .authenticationFailed = error {
                authenticator.loginFailed(caller)
                metrics.authenticationFailed()
            }
            if backoff != .refused { connectionBackoff.attemptEnded() }
            throw error
        }
    }

    /// Starts or extends a backoff when `failure` is a throttling answer (for the account) or a
    /// refused or dropped connection before the login finished (for the server).
    @discardableResult
    private func noteBackoff(_ failure: IMAPError, user: String, duringLogin: Bool) -> BackoffReason? {
        if let advised = ThrottleAdvice.retryAfter(failure) {
            let wait = connectionBackoff.throttled(user, advised: advised)
            logger.warning("IMAP server throttling; holding back new connections for the account",
                           metadata: ["seconds": "\(wait.components.seconds)"])
            return .throttled
        }
        // A session that breaks after its login is the pool's business (dropped, a read retried);
        // a server refusing or dropping new connections is held back from.
        guard duringLogin else { return nil }
        switch failure {
        case .connection(.connectionRefused), .connection(.connectFailed), .connection(.disconnected), .disconnected, .bye:
            let wait = connectionBackoff.refused()
            logger.warning("IMAP server refused or dropped a new connection; holding back new connections",
                           metadata: ["seconds": "\(wait.components.seconds)"])
            return .refused
        default:
            return nil
        }
    }
}
