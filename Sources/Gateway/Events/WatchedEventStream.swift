import Foundation
import HTTPServer
import IMAP
import Logging
import IMAPClient

/// `GET /folders/{folder}/events` with the mirror on: the stream subscribes to the folder's
/// watcher (one IDLE session shared by every stream and read of that account and folder) and
/// turns each sync into events computed from the mirror's change log, so a stream costs no IMAP
/// connection of its own.
///
/// Every batch of events ends with an `id:` line carrying the folder's `state` after it, so a
/// client that reconnects with `Last-Event-ID` gets what changed since (replayed from the change
/// log), or a `reset` event when that cannot be computed (state too old, from another
/// UIDVALIDITY or another mirror, never issued); the stream then goes on from the current state.
final class WatchedEventStream: Sendable {
    private let key: MirrorKey
    private let folderName: String
    private let slot: EventStreamSlot
    private let configuration: EventStreamConfiguration
    private let mirrors: FolderMirrors
    private let watchers: FolderWatchers
    private let logger: Logger
    private let subscription: Int
    private let signals: AsyncStream<Signal>
    private let input: AsyncStream<Signal>.Continuation
    private let lastEventID: String?

    private enum Signal: Sendable {
        case notice(WatcherNotice)
        case heartbeat
        case stop
    }

    private init(key: MirrorKey, folderName: String, slot: EventStreamSlot, configuration: EventStreamConfiguration,
                 mirrors: FolderMirrors, watchers: FolderWatchers, logger: Logger, subscription: Int,
                 signals: AsyncStream<Signal>, input: AsyncStream<Signal>.Continuation, lastEventID: String?) {
        self.key = key
        self.folderName = folderName
        self.slot = slot
        self.configuration = configuration
        self.mirrors = mirrors
        self.watchers = watchers
        self.logger = logger
        self.subscription = subscription
        self.signals = signals
        self.input = input
        self.lastEventID = lastEventID
    }

    /// Subscribes to the folder's watcher (starting it), then revalidates the mirror on a pooled
    /// session before the response head: the caller's credentials (401) and the folder (404) are
    /// checked as for any read, and the first events start from a current mirror. nil when the
    /// folder cannot be watched now (the account's watcher budget is used up, or the folder is
    /// too big to mirror at once): the route then opens a stream with its own IDLE session.
    static func open(caller: Caller, folder: (name: String, mailbox: MailboxName), slot: EventStreamSlot,
                     lastEventID: String?, context: GatewayContext, mirrors: FolderMirrors,
                     watchers: FolderWatchers) async throws -> WatchedEventStream? {
        let key = context.mirrorKey(caller, folder: folder.name)
        guard context.watch(caller, folder: folder, mirrors: mirrors, watchers: watchers) else { return nil }
        // Notices are "look at the mirror again": dropping all but the newest loses nothing.
        let (signals, input) = AsyncStream<Signal>.makeStream(bufferingPolicy: .bufferingNewest(16))
        // Subscribed before the revalidation, so no sync between the two goes unseen.
        guard let subscription = watchers.subscribe(key, { input.yield(.notice($0)) }) else { return nil }
        let state: String?
        do {
            state = try await context.withFolder(caller, folder.mailbox, access: .read) { session, selected in
                // The watcher needs IDLE too, and retires without it: answer 422 now, as a stream
                // with its own session would, instead of a stream that never reports anything.
                guard await session.capabilities().contains(.idle) else { throw IMAPError.missingExtension(.idle) }
                return try await context.mirrorState(caller, folder: folder.name, session: session, selected: selected)
            }
        } catch {
            watchers.unsubscribe(key, subscription)
            throw error
        }
        context.noteMirroredRead(caller, folder: folder)
        guard state != nil else {
            watchers.unsubscribe(key, subscription)
            return nil
        }
        return WatchedEventStream(key: key, folderName: folder.name, slot: slot, configuration: context.configuration.events,
                                  mirrors: mirrors, watchers: watchers, logger: context.logger, subscription: subscription,
                                  signals: signals, input: input, lastEventID: lastEventID)
    }

    /// Ends the subscription without streaming (HEAD).
    func close() {
        watchers.unsubscribe(key, subscription)
        input.finish()
        slot.release()
    }

    /// The client went away: a write to it failed.
    private struct ClientGone: Error {}

    /// Streams until the client goes, the watcher stops for good or the gateway shuts down.
    func run(_ writer: any HTTPBodyWriter) async {
        slot.onShutdown { [input] in input.yield(.stop) }
        let heartbeat = Task { [configuration, input] in
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.heartbeat)
                input.yield(.heartbeat)
            }
        }
        var ending = "stopped"

        func write(_ bytes: [UInt8]) async throws(ClientGone) {
            do { try await writer.write(bytes) } catch { throw ClientGone() }
        }

        do {
            var last = try await start(write)
            loop: for await signal in signals {
                switch signal {
                case .notice(.synced):
                    if let now = try await send(since: last, write) { last = now }
                case .notice(.lost):
                    // The watcher reconnects and resyncs; what changed meanwhile follows then.
                    try await write(Array(": watcher reconnecting\n\n".utf8))
                case .notice(.stopped(let error)):
                    try await write(FolderEvent.error(ErrorMapping.problem(for: error, scheme: .basicOrBearer)).frame)
                    ending = "watcher stopped: \(error)"
                    break loop
                case .heartbeat:
                    try await write(ServerSentEvent.keepAlive)
                case .stop:
                    ending = "gateway shutting down"
                    break loop
                }
            }
        } catch {
            ending = "client went away"
        }
        heartbeat.cancel()
        close()
        logger.debug("Event stream ended", metadata: ["folder": "\(folderName)", "reason": "\(ending)"])
    }

    /// `ready`, then the replay since `Last-Event-ID` (or `reset` when it cannot be computed);
    /// returns the state the client now has.
    private func start(_ write: ([UInt8]) async throws(ClientGone) -> Void) async throws(ClientGone) -> MirrorState {
        let opening = mirrors.peek(key) { mirror -> ([UInt8], MirrorState) in
            let ready = Ready(folder: folderName, uidValidity: mirror.uidValidity, uidNext: mirror.uidNext.rawValue,
                              exists: mirror.messages.count, state: mirror.state.description)
            return (Self.encode(ready), mirror.state)
        }
        guard let (ready, current) = opening else {
            // Evicted since the revalidation: the next sync brings it back, under a new state.
            try await write(ServerSentEvent.frame(event: "ready", json: Self.encode(
                Ready(folder: folderName, uidValidity: 0, uidNext: 0, exists: 0, state: nil))))
            return MirrorState(instance: 0, uidValidity: 0, counter: 0)
        }
        guard let lastEventID else {
            try await write(ServerSentEvent.frame(event: "ready", json: ready, id: current.description))
            return current
        }
        try await write(ServerSentEvent.frame(event: "ready", json: ready))
        guard let since = MirrorState(parsing: lastEventID) else {
            try await write(resetFrame(current, reason: "The Last-Event-ID was never issued by this gateway."))
            return current
        }
        return try await send(since: since, write, resetIfNothing: current) ?? current
    }

    /// The events of what changed since `last`, the last one carrying the state after them;
    /// `reset` when the change log cannot tell. Returns the new state (nil: no mirror now).
    private func send(since last: MirrorState, _ write: ([UInt8]) async throws(ClientGone) -> Void,
                      resetIfNothing current: MirrorState? = nil) async throws(ClientGone) -> MirrorState? {
        let batch = mirrors.peek(key) { mirror -> ([[UInt8]], MirrorState) in
            let now = mirror.state
            let changes: MirrorChanges
            do throws(MirrorChangesError) {
                changes = try mirror.changes(since: last, maxChanges: nil)
            } catch {
                let reason = error == .invalid
                    ? "The Last-Event-ID was never issued for this folder."
                    : "The changes since the last event are no longer known (too old, the folder was recreated, or the gateway restarted); reload the folder."
                return ([resetFrame(now, reason: reason)], now)
            }
            var frames: [(name: String, json: [UInt8])] = []
            for chunk in Self.chunks(changes.destroyed) { frames.append(("expunged", Self.encode(UIDList(uids: chunk)))) }
            for chunk in Self.chunks(changes.created) { frames.append(("new", Self.encode(UIDList(uids: chunk)))) }
            for uid in changes.updated {
                guard let message = mirror.message(uid) else { continue }
                frames.append(("flags", Self.encode(Flags(uid: uid.rawValue, flags: message.summary.flags))))
            }
            return (frames.enumerated().map { index, frame in
                ServerSentEvent.frame(event: frame.name, json: frame.json, id: index == frames.count - 1 ? now.description : nil)
            }, now)
        }
        guard let (frames, now) = batch else { return nil }
        for frame in frames { try await write(frame) }
        if frames.isEmpty, let current, now == current, last != current {
            // Nothing to replay but the state moved (changes that touch no message): say where the client is.
            try await write(Array("id: \(now.description)\n\n".utf8))
        }
        return now
    }

    private func resetFrame(_ state: MirrorState, reason: String) -> [UInt8] {
        ServerSentEvent.frame(event: "reset", json: Self.encode(Reset(uidValidity: state.uidValidity, state: state.description, reason: reason)),
                              id: state.description)
    }

    private static func chunks(_ uids: [UID]) -> [[UInt32]] {
        stride(from: 0, to: uids.count, by: FolderEvent.maxUIDsPerEvent).map { start in
            uids[start..<min(uids.count, start + FolderEvent.maxUIDsPerEvent)].map(\.rawValue)
        }
    }

    private struct Ready: Encodable { let folder: String; let uidValidity: UInt32; let uidNext: UInt32; let exists: Int; let state: String? }
    private struct UIDList: Encodable { let uids: [UInt32] }
    private struct Flags: Encodable { let uid: UInt32; let flags: [String] }
    private struct Reset: Encodable { let uidValidity: UInt32; let state: String; let reason: String }

    private static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return (try? encoder.encode(value)).map { Array($0) } ?? Array("{}".utf8)
    }
}
