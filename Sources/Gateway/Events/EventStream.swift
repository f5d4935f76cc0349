import HTTPServer
import IMAP
import IMAPClient
import Logging

/// One `GET /folders/{folder}/events` stream: an IMAP session of its own (not the pool's: IDLE
/// holds it for hours) with the folder EXAMINEd, kept in IDLE, whose reports become
/// `FolderEvent`s. Memory stays bounded: the stream knows the folder's UIDNEXT, message count
/// and UIDVALIDITY, never per-message state.
final class EventStream: Sendable {
    private let session: any MailSession
    private let folderName: String
    private let slot: EventStreamSlot
    private let configuration: EventStreamConfiguration
    private let scheme: AuthScheme
    private let logger: Logger
    /// QRESYNC is on: expunges come as VANISHED (UIDs), unsolicited FETCHes carry the UID.
    private let qresync: Bool
    /// The folder as EXAMINE left it.
    private let initial: (uidValidity: UInt32, uidNext: UInt32, exists: Int)

    private init(session: any MailSession, folderName: String, slot: EventStreamSlot, configuration: EventStreamConfiguration,
                 scheme: AuthScheme, logger: Logger, qresync: Bool, initial: (uidValidity: UInt32, uidNext: UInt32, exists: Int)) {
        self.session = session
        self.folderName = folderName
        self.slot = slot
        self.configuration = configuration
        self.scheme = scheme
        self.logger = logger
        self.qresync = qresync
        self.initial = initial
    }

    /// Logs in as `caller` the way the pool does (same opener, so the same metrics and login
    /// throttle), ENABLEs QRESYNC when offered and EXAMINEs the folder, all before the response
    /// head, so a bad login (401), a missing folder (404) or a server without IDLE (422) are
    /// answered as problems. The session is logged out on failure.
    static func open(caller: Caller, folder: (name: String, mailbox: MailboxName), slot: EventStreamSlot,
                     context: GatewayContext) async throws -> EventStream {
        // The account's connection budget, shared with the pool and mirror watchers: an idle
        // pooled session makes room, else 503 after the pool's wait.
        slot.hold(try await context.connectionBudget.acquire(caller.account.user, for: .events,
                                                             waitingUpTo: context.configuration.pool.acquireTimeout))
        let session = try await context.login(caller) { () throws(IMAPError) in try await context.openSession(caller.account) }
        do {
            let capabilities = await session.capabilities()
            guard capabilities.contains(.idle) else { throw IMAPError.missingExtension(.idle) }
            var qresync = false
            if capabilities.contains(.qresync) {
                qresync = try await session.enable([.qresync]).contains(.qresync)
            }
            let state = try await session.select(folder.mailbox, readOnly: true)
            let uidNext = try await Self.uidNext(of: state, session: session)
            return EventStream(session: session, folderName: folder.name, slot: slot,
                               configuration: context.configuration.events, scheme: context.authenticator.scheme,
                               logger: context.logger, qresync: qresync,
                               initial: (try state.requireUIDValidity(), uidNext, state.exists))
        } catch {
            await session.logout()
            throw error
        }
    }

    /// UIDNEXT as EXAMINE reported it, or one above the last message's UID for a server that
    /// left it out (RFC 3501 makes it optional in practice).
    private static func uidNext(of state: SelectedMailbox, session: any MailSession) async throws(IMAPError) -> UInt32 {
        if let uidNext = state.uidNext { return uidNext.rawValue }
        guard state.exists > 0 else { return 1 }
        let last = try await session.fetch(SequenceNumberSet([SequenceNumber(UInt32(state.exists))]), [.uid])
        return (last.compactMap(\.uid?.rawValue).max() ?? 0) + 1
    }

    /// Logs out without streaming (HEAD, or a response that will not be sent).
    func close() async {
        await Self.detached { await self.session.logout() }
        slot.release()
    }

    /// What feeds the stream's loop: IMAP reports, IDLE rounds ending, heartbeat ticks, shutdown.
    private enum Signal: Sendable {
        case change(UntaggedResponse)
        case uidValidity(UInt32)
        case idleEnded((any Error)?)
        case heartbeat
        case stop
    }

    /// The client went away: a write to it failed.
    private struct ClientGone: Error {}

    /// Streams events to `writer` until the client goes, IMAP fails, UIDVALIDITY changes or the
    /// gateway shuts down; then leaves IDLE, logs out and frees the slot. Never throws: the
    /// stream's end is the only signal left once the head is out.
    func run(_ writer: any HTTPBodyWriter) async {
        let (signals, input) = AsyncStream<Signal>.makeStream()
        // Every EXISTS, EXPUNGE, VANISHED, FETCH with FLAGS and BYE, whichever command it came with.
        session.observeMailboxChanges { input.yield(.change($0)) }
        slot.onShutdown { input.yield(.stop) }
        let heartbeat = Task { [configuration] in
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.heartbeat)
                input.yield(.heartbeat)
            }
        }
        var idle: Task<Void, Never>?
        var uidValidity = initial.uidValidity
        var uidNext = initial.uidNext
        var exists = initial.exists
        var fetchPending = false
        var ending = "stopped"

        func send(_ event: FolderEvent) async throws(ClientGone) {
            do { try await writer.write(event.frame) } catch { throw ClientGone() }
        }

        do {
            try await send(.ready(folder: folderName, uidValidity: uidValidity, uidNext: uidNext, exists: exists))
            idle = startIdle(input)
            loop: for await signal in signals {
                switch signal {
                case .change(.exists(let count)):
                    if count > exists, !fetchPending {
                        // New mail: leave IDLE to learn the UIDs; the fetch runs when IDLE has ended.
                        fetchPending = true
                        idle?.cancel()
                    }
                    exists = count
                case .change(.expunge):
                    exists = max(0, exists - 1)
                    if !qresync { try await send(.expungedCount(exists: exists)) }
                case .change(.vanished(let earlier, let uids)) where !earlier:
                    try await FolderEvent.forEachChunk(of: uids) { chunk throws(ClientGone) in
                        exists = max(0, exists - chunk.count)
                        try await send(.expungedUIDs(chunk))
                    }
                case .change(.fetch(let fetch)):
                    // Without a UID (no QRESYNC) the change cannot be named in the API's terms.
                    if let uid = fetch.uid, let flags = fetch.flags {
                        try await send(.flags(uid: uid.rawValue, flags: flags.map(\.rawValue)))
                    }
                case .change:
                    // BYE ends the IDLE round with an error, reported there.
                    break
                case .uidValidity(let value):
                    guard value != uidValidity else { break }
                    uidValidity = value
                    try await send(.reset(uidValidity: value))
                    ending = "UIDVALIDITY changed"
                    break loop
                case .idleEnded(let failure):
                    idle = nil
                    if let failure {
                        try await send(.error(problem(for: failure)))
                        ending = "IMAP failed: \(failure)"
                        break loop
                    }
                    if fetchPending {
                        fetchPending = false
                        do {
                            uidNext = try await fetchNew(from: uidNext, send)
                        } catch let error as ClientGone {
                            throw error
                        } catch {
                            try await send(.error(problem(for: error)))
                            ending = "IMAP failed: \(error)"
                            break loop
                        }
                    } else if configuration.idlePoll != nil {
                        // A poll round ended: NOOP makes a server that polls its own IDLE tell
                        // what it has; an EXISTS it reports comes in as a change and ends the
                        // next round for the fetch.
                        do {
                            try await session.noop()
                        } catch {
                            try await send(.error(problem(for: error)))
                            ending = "IMAP failed: \(error)"
                            break loop
                        }
                    }
                    idle = startIdle(input)
                case .heartbeat:
                    do { try await writer.write(ServerSentEvent.keepAlive) } catch { throw ClientGone() }
                case .stop:
                    ending = "gateway shutting down"
                    break loop
                }
            }
        } catch {
            ending = "client went away"
        }

        heartbeat.cancel()
        input.finish()
        if let idle {
            // Cancelling IDLE sends DONE and waits for its OK: the session stays clean for LOGOUT.
            idle.cancel()
            await idle.value
        }
        // From a task of its own: a cancelled handler task (end of the grace period) cannot read.
        await Self.detached { [session] in await session.logout() }
        slot.release()
        logger.debug("Event stream ended", metadata: ["folder": "\(folderName)", "reason": "\(ending)"])
    }

    /// One IDLE round up to the renewal (or `idlePoll`) interval, reporting its end (and an UIDVALIDITY code).
    private func startIdle(_ input: AsyncStream<Signal>.Continuation) -> Task<Void, Never> {
        let deadline = ContinuousClock.now + min(configuration.idleRenewal, configuration.idlePoll ?? configuration.idleRenewal)
        return Task { [session] in
            do {
                try await session.idle(until: deadline) { response in
                    // The other changes reach the loop through the mailbox observer.
                    if case .condition(_, let text) = response, case .uidValidity(let value)? = text.code {
                        input.yield(.uidValidity(value))
                    }
                }
                input.yield(.idleEnded(nil))
            } catch {
                input.yield(.idleEnded(error))
            }
        }
    }

    /// `UID FETCH <uidNext>:* (UID)`, sending `new` events of at most `maxUIDsPerEvent` UIDs as
    /// they arrive; returns the UIDNEXT after them. `n:*` with n above the highest UID answers
    /// with the highest message, hence the filter.
    private func fetchNew(from uidNext: UInt32, _ send: (FolderEvent) async throws(ClientGone) -> Void) async throws -> UInt32 {
        var next = uidNext
        var batch: [UInt32] = []
        try await session.uidFetchEach(UIDSet(ranges: [.from(UID(uidNext))]), [.uid]) { response in
            guard let uid = response.uid?.rawValue, uid >= uidNext else { return }
            batch.append(uid)
            next = max(next, uid &+ 1)
            if batch.count == FolderEvent.maxUIDsPerEvent {
                try await send(.new(uids: batch.sorted()))
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await send(.new(uids: batch.sorted())) }
        return next
    }

    /// A failure mid-stream as the problem document a request would have got.
    private func problem(for error: any Error) -> HTTPError {
        if error is CancellationError {
            return Problem.make(502, "imap-unavailable", title: "IMAP server unavailable",
                                detail: "IDLE was interrupted before the server accepted it.")
        }
        return ErrorMapping.problem(for: error, scheme: scheme)
    }

    /// Runs `body` in a task of its own and waits for it: it then runs even when the caller's
    /// task is cancelled.
    private static func detached(_ body: @escaping @Sendable () async -> Void) async {
        await Task { await body() }.value
    }
}
