import IMAP
import IMAPClient
import Logging
import Sockets

/// Keeps one folder's mirror current: an IMAP session of its own (logged in like the pool's and
/// the event streams', through `GatewayContext.login`), the folder EXAMINEd (QRESYNC ENABLEd where
/// offered), kept in IDLE. Any report (EXISTS, EXPUNGE, FETCH, VANISHED) ends IDLE; the mirror is
/// synced on this session (`FolderMirrors.syncWatched`, under the per-folder gate reads use),
/// subscribers are told the new state, and IDLE starts again. One exception: with QRESYNC
/// enabled, a flag change (FETCH with UID, FLAGS and MODSEQ) of a message the complete mirror
/// holds is applied as it arrives, without leaving IDLE (`FolderMirrors.applyIdleFlags`): a sync
/// command after every flag change costs the server (Dovecot's next STORE from another session
/// is slower by a few milliseconds), and the FETCH already says all that sync would learn.
///
/// While the watcher is in IDLE (`FolderWatchers.Phase.watching`) a mirrored read costs no IMAP
/// round trip. A lost session (connection drop, server restart, BYE) makes the folder unwatched
/// (reads revalidate) and reconnects with backoff. A refused login or a server without IDLE
/// stops the watcher for good.
final class FolderWatcher: Sendable {
    let key: MirrorKey
    let mailbox: MailboxName
    private let context: GatewayContext
    private let mirrors: FolderMirrors
    private let registry: FolderWatchers
    /// The watcher's connection in the account's budget, held until the watcher stops (through
    /// reconnections too).
    private let slot: ConnectionSlot
    private let task = Protected<Task<Void, Never>?>(nil)

    init(key: MirrorKey, mailbox: MailboxName, context: GatewayContext, mirrors: FolderMirrors, registry: FolderWatchers,
         slot: ConnectionSlot) {
        self.slot = slot
        self.key = key
        self.mailbox = mailbox
        self.context = context
        self.mirrors = mirrors
        self.registry = registry
    }

    /// Starts the loop (once).
    func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { await self.run() }
        }
    }

    /// Leaves IDLE, logs out and waits for the loop to end.
    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }

    /// Why a watcher stops for good.
    private struct Permanent: Error, CustomStringConvertible {
        let underlying: any Error
        var description: String { "\(underlying)" }
    }

    /// The loop: connect and watch; on a loss wait (doubling from 250 ms to 30 s, back to the
    /// start after a session that lasted a minute) and connect again.
    private func run() async {
        defer { slot.release() }
        var backoff: Duration = .milliseconds(250)
        var reason: any Error = CancellationError()
        while !Task.isCancelled {
            let began = ContinuousClock.now
            do {
                try await watch()
                // Returned: quiet for the quiet period (already removed from the registry) or cancelled.
                if !Task.isCancelled { return }
                break
            } catch let error as Permanent {
                reason = error.underlying
                context.logger.info("Folder watcher stopped", metadata: ["folder": "\(key.folder)", "reason": "\(error)"])
                break
            } catch {
                if Task.isCancelled { break }
                registry.setPhase(key, .lost)
                registry.notify(key, .lost(error))
                context.logger.info("Folder watcher lost its session; reconnecting",
                                    metadata: ["folder": "\(key.folder)", "error": "\(error)", "retryIn": "\(backoff)"])
                if ContinuousClock.now - began > .seconds(60) { backoff = .milliseconds(250) }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
            }
        }
        registry.retire(key, because: reason)
    }

    /// One session's life: returns when quiet or cancelled, throws when the session is lost.
    private func watch() async throws {
        guard let caller = registry.caller(key) else { return }
        let session: any MailSession
        do {
            session = try await context.login(caller) { () throws(IMAPError) in try await context.openSession(caller.account) }
        } catch let IMAPError.authenticationFailed(text) {
            // The credentials no longer work: retrying would only feed the failed-login throttle.
            throw Permanent(underlying: IMAPError.authenticationFailed(text))
        }
        registry.recordProof(caller.account)
        do {
            try await watch(on: session, account: caller.account.key)
            await Self.detached { await session.logout() }
        } catch {
            await Self.detached { await session.logout() }
            throw error
        }
    }

    /// What feeds the IDLE wait: a report, the round's end.
    private enum Signal: Sendable {
        case report
        /// A flag change with UID, FLAGS and MODSEQ (QRESYNC), perhaps applicable without a sync.
        case flags(FetchResponse)
        case idleEnded((any Error)?)
    }

    private func watch(on session: any MailSession, account: AccountKey) async throws {
        let capabilities = await session.capabilities()
        guard capabilities.contains(.idle) else { throw Permanent(underlying: IMAPError.missingExtension(.idle)) }
        registry.serverOffersGmail = capabilities.contains(.gmail)
        if capabilities.contains(.qresync) { _ = try await session.enable([.qresync]) }
        registry.serverSyncsByQResync = await session.enabledExtensions().contains(.qresync)
        // Untagged reports that arrive while a sync's commands run: a change that slipped in
        // between them is caught by comparing them with the mirror afterwards.
        let observed = ObservedChanges()
        session.observeMailboxChanges { observed.record($0) }
        let selected: SelectedMailbox
        do {
            selected = try await session.select(mailbox, readOnly: true)
        } catch {
            // The folder is gone (deleted, or renamed away): nothing to watch until a read starts anew.
            if case .no(_, let text) = error, text.code == .nonExistent { throw Permanent(underlying: error) }
            throw error
        }
        var syncedAt = registry.beginSync(key)
        try await sync(session, selected: selected, observed: observed, account: account)

        let events = context.configuration.events
        let (signals, input) = AsyncStream<Signal>.makeStream()
        defer { input.finish() }
        while !Task.isCancelled {
            // A round ends at the IDLE renewal, the poll interval (servers that poll their own
            // IDLE) or when the watcher may stop for quiet, whichever comes first.
            let recheck = context.configuration.mirrorWatchRecheck
            var deadline = ContinuousClock.now + min(events.idleRenewal, events.idlePoll ?? events.idleRenewal, recheck)
            if let quiet = registry.quietDeadline(key) {
                if registry.retireIfQuiet(key) { return }
                deadline = min(deadline, quiet)
            }
            let mirrored = mirrors.peek(key, { _ in true }) == true
            let view = await session.selectedFolder() ?? selected
            // RFC 7162 §3.2.4: with QRESYNC enabled every FETCH carries the UID, and MODSEQ when
            // flags changed, so such a report says all a CHANGEDSINCE sync would learn of it.
            let appliesFlags = await FolderMirrors.mode(session: session, selected: view) == .qresync
            guard registry.enterIdle(key, syncedAt: syncedAt, mirrored: mirrored, wake: { input.yield(.report) }) else {
                // A write through the gateway ended during the sync: sync again before IDLE.
                syncedAt = registry.beginSync(key)
                try await sync(session, selected: selected, observed: observed, account: account)
                continue
            }
            let idle = Task {
                do {
                    try await session.idle(until: deadline) { response in
                        switch response {
                        case .fetch(let fetch) where appliesFlags && fetch.uid != nil && fetch.flags != nil && fetch.modSeq != nil:
                            input.yield(.flags(fetch))
                        case .exists, .expunge, .fetch, .vanished: input.yield(.report)
                        // Dovecot's word that the folder changed under the session (deleted, created anew).
                        case .condition(.no, _), .condition(.bad, _): input.yield(.report)
                        case .condition(_, let text) where text.code.map(Self.isUIDValidity) == true: input.yield(.report)
                        default: break
                        }
                    }
                    input.yield(.idleEnded(nil))
                } catch {
                    input.yield(.idleEnded(error))
                }
            }
            let roundStart = ContinuousClock.now
            var reported = false
            var failure: (any Error)?
            wait: for await signal in signals {
                switch signal {
                case .flags(let fetch):
                    // Once IDLE is ending the sync that follows covers it.
                    if reported { continue }
                    if let state = await mirrors.applyIdleFlags(key, [fetch], uidValidity: view.uidValidity) {
                        registry.notify(key, .synced(state))
                        continue
                    }
                    // Not applicable alone (a UID the mirror lacks, no complete mirror): sync.
                    reported = true
                    registry.leaveIdle(key)
                    idle.cancel()
                case .report:
                    if !reported {
                        reported = true
                        registry.leaveIdle(key)
                        idle.cancel()
                    }
                case .idleEnded(let error):
                    failure = error
                    break wait
                }
            }
            if Task.isCancelled {
                // Cancelling IDLE sends DONE and waits for its OK: the session stays clean for LOGOUT.
                idle.cancel()
                await idle.value
                return
            }
            registry.leaveIdle(key)
            if let failure { throw failure }
            // A report, a write's wake, a poll round or a renewal: the sync is one command when
            // nothing changed, and on a server that polls its own IDLE it is what makes it tell.
            syncedAt = registry.beginSync(key)
            try await sync(session, selected: selected, observed: observed, account: account,
                           recheck: !reported && ContinuousClock.now - roundStart >= recheck)
        }
    }

    /// Syncs the mirror on the watcher's session and tells subscribers; again (up to three
    /// times) while reports that arrived during the sync show it missed something.
    private func sync(_ session: any MailSession, selected: SelectedMailbox, observed: ObservedChanges, account: AccountKey,
                      recheck: Bool = false) async throws {
        // NOOP on a recheck: the one command that makes Dovecot tell of a folder created anew.
        if recheck { try await session.noop() }
        for _ in 0..<3 {
            observed.reset()
            // EXAMINEd again when the server cast doubt on the view (folder deleted, created anew):
            // the sync then finds the new UIDVALIDITY and refills the mirror.
            let now = try await session.reselectIfInDoubt() ?? selected
            if let validity = now.uidValidity {
                // A folder created anew: pooled sessions still viewing the deleted one SELECT
                // afresh instead of syncing it (SessionPool.noteSelected; a no-op otherwise).
                await context.pool.noteSelected(mailbox, uidValidity: validity, account: account)
            }
            let state = try await mirrors.syncWatched(key, session: session, selected: now)
            registry.notify(key, .synced(state))
            guard let state else { return }
            let missed = mirrors.peek(key) { mirror in
                mirror.state == state ? observed.disagrees(with: mirror) : true
            } ?? false
            if !missed { return }
        }
    }

    private static func isUIDValidity(_ code: ResponseCode) -> Bool {
        if case .uidValidity = code { return true }
        return false
    }

    /// Runs `body` in a task of its own and waits for it: it then runs even when the caller's
    /// task is cancelled (LOGOUT after a stop).
    private static func detached(_ body: @escaping @Sendable () async -> Void) async {
        await Task { await body() }.value
    }
}

/// The untagged reports a watcher's session received since `reset`.
private final class ObservedChanges: Sendable {
    private struct Seen {
        /// EXISTS, EXPUNGE, VANISHED (not EARLIER): the sync's own commands never cause these.
        var structural = false
        /// Flags per UID as the latest FETCH said (the sync's own answers among them).
        var flags: [UID: [String]] = [:]
        /// A FETCH without UID: unsolicited (the sync's commands are all UID FETCH).
        var unnamed = false
    }

    private let seen = Protected(Seen())
    /// Flags remembered per sync at most (a plain-mode sync answers every message's).
    private static let limit = 20_000

    func reset() { seen.withLock { $0 = Seen() } }

    func record(_ response: UntaggedResponse) {
        seen.withLock { seen in
            switch response {
            case .exists, .expunge: seen.structural = true
            case .vanished(let earlier, _): if !earlier { seen.structural = true }
            case .fetch(let fetch):
                guard let flags = fetch.flags else { return }
                guard let uid = fetch.uid else { seen.unnamed = true; return }
                if seen.flags.count < Self.limit || seen.flags[uid] != nil {
                    seen.flags[uid] = FolderMirrors.withoutRecent(flags)
                }
            default: break
            }
        }
    }

    /// Whether what arrived says the mirror missed a change.
    func disagrees(with mirror: FolderMirror) -> Bool {
        seen.withLock { seen in
            if seen.structural || seen.unnamed { return true }
            return seen.flags.contains { uid, flags in
                mirror.message(uid).map { Set($0.summary.flags) != Set(flags) } ?? false
            }
        }
    }
}
