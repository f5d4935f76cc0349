import HTTPServer
import IMAP
import IMAPClient
import MIME
import Sockets

/// Streams one section of a message (`""` for the whole) by partial fetches of
/// `streamChunkBytes`, handing each chunk on before fetching the next.
///
/// The session is taken BEFORE the response head goes out (the lookup that decides 404, ETag and
/// length runs on it) and held until the body is complete (`HeldDownload`): a download never
/// asks the pool again after promising 200, where a busy pool used to turn the promise into an
/// empty body. If that session dies mid-way, `withFolder`'s one retry for reads goes on from the
/// offset reached on a fresh session, so the client gets every byte once; any other failure after
/// the head aborts the connection (the HTTP server's rule), never a short 200.
struct PartialDownload: Sendable {
    let folder: (name: String, mailbox: MailboxName)
    let uid: UID
    let uidValidity: UIDValidity
    let section: String
    /// The length announced in Content-Length, if any: the stream must deliver exactly that.
    let expectedBytes: Int?
    let chunkSize: Int
    /// What the lookup already read of the section before the head went out (`SectionStart`):
    /// delivered first, then the fetches go on after it unless it is the whole section.
    var head: SectionStart? = nil
    /// Bytes delivered so far, across a retry on a fresh session.
    let offset = Protected(0)

    /// Streams the section on `session` (with the folder selected as `state`) from the offset reached.
    func stream(session: any MailSession, state: SelectedMailbox,
                deliver: @Sendable ([UInt8]) async throws -> Void) async throws {
        guard state.uidValidity == uidValidity else {
            throw Problem.make(409, "uidvalidity-changed", title: "UIDVALIDITY changed",
                               detail: "The folder '\(folder.name)' was recreated during the download.")
        }
        var done = false
        if let head {
            // On a retry after a dead session, only what the client has not had yet.
            let start = offset.withLock { $0 }
            if start < head.bytes.count {
                offset.withLock { $0 = head.bytes.count }
                try await deliver(Array(head.bytes[start...]))
            }
            done = head.isWhole
        }
        while !done {
            let start = offset.withLock { $0 }
            let response = try await MessageLookup.fetch(
                uid, [.uid, .bodyPeek(section: section, partial: (offset: start, length: chunkSize))],
                folder: folder.name, session: session)
            let bytes = response.body(section: section) ?? []
            offset.withLock { $0 += bytes.count }
            if !bytes.isEmpty { try await deliver(bytes) }
            done = bytes.count < chunkSize
        }
        let sent = offset.withLock { $0 }
        if let expectedBytes, sent != expectedBytes {
            // Content-Length promised another length: end the stream in error so the client
            // sees a broken download rather than a silently different one.
            throw IMAPError.protocolViolation("the server sent \(sent) bytes for a message it said has \(expectedBytes)")
        }
    }
}

/// The start of a part's body, read before the response head so that a server whose
/// `BODY[part]` answer disagrees with its own BODYSTRUCTURE is caught while the status and
/// Content-Length can still follow the truth.
///
/// A probe of up to 64 KiB is fetched. Shorter than the part's BODYSTRUCTURE size (pymap 0.36
/// sends nothing for a part inside an attached message) means the server's part answer is wrong:
/// the part is then cut out of the whole message (`BODY.PEEK[]` through the MIME walker), for
/// messages up to the limit given (`--full-message-fetch-limit`), so memory stays bounded.
struct SectionStart: Sendable {
    /// The bytes read, still transfer-encoded.
    let bytes: [UInt8]
    /// True when `bytes` is the whole section.
    let isWhole: Bool

    /// The probe size: small, because a 304 or a HEAD pays for it too.
    static let probeBytes = 64 * 1024

    static func read(_ section: String, uid: UID, structureSize: Int, messageLimit: Int,
                     folder: String, session: any MailSession) async throws -> SectionStart {
        let probe = min(probeBytes, max(structureSize, 1))
        let response = try await MessageLookup.fetch(uid, [.uid, .bodyPeek(section: section, partial: (offset: 0, length: probe))],
                                                     folder: folder, session: session)
        let bytes = response.body(section: section) ?? []
        guard bytes.count < min(structureSize, probe) else {
            return SectionStart(bytes: bytes, isWhole: bytes.count < probe)
        }
        return SectionStart(bytes: try await cut(section, uid: uid, messageLimit: messageLimit, folder: folder, session: session),
                            isWhole: true)
    }

    /// The part as `BODY[section]` should have returned it, from the whole message.
    private static func cut(_ section: String, uid: UID, messageLimit: Int, folder: String,
                            session: any MailSession) async throws -> [UInt8] {
        let meta = try await MessageLookup.fetch(uid, [.uid, .rfc822Size], folder: folder, session: session)
        guard let size = meta.size, size <= messageLimit else {
            throw IMAPError.protocolViolation(
                "the server's BODY[\(section)] is shorter than its BODYSTRUCTURE says, and the message (\(meta.size ?? -1) bytes) is too large to cut the part out of it")
        }
        let whole = try await MessageLookup.fetch(uid, [.uid, .bodyPeek(section: "", partial: nil)], folder: folder, session: session)
        guard let part = MIMEMessage.section(section, in: whole.body(section: "") ?? []) else {
            throw IMAPError.protocolViolation("the server's BODY[\(section)] is shorter than its BODYSTRUCTURE says, and the message has no such part")
        }
        return part.encodedBody
    }
}

/// A pooled session taken for a streamed response before its head and held until its body is
/// complete: `open` runs the lookup on the session and returns its result while the session
/// stays leased; `run` (from the response's stream) streams on that same session; `abandon`
/// (a 304, a HEAD) gives it back unused.
///
/// A response whose stream never runs (the head could not be written) gives the session back
/// after `handoffTimeout`, and a stream that starts later fails, which aborts the connection.
struct HeldDownload: Sendable {
    /// How long a lookup's session waits for its stream to start.
    static let handoffTimeout: Duration = .seconds(10)

    typealias Deliver = @Sendable ([UInt8]) async throws -> Void
    typealias Streamer = @Sendable (any MailSession, SelectedMailbox, Deliver) async throws -> Void

    private let handoff: Handoff
    private let work: Task<Void, any Error>

    /// Leases a session of `caller` with `folder` EXAMINEd, runs `lookup` on it and returns the
    /// result; the session stays held for `run`. Errors of the lookup (404, 502...) are thrown
    /// here, before any head.
    static func open<Lookup: Sendable>(
        _ context: GatewayContext, _ caller: Caller, _ folder: MailboxName,
        lookup: @escaping @Sendable (any MailSession, SelectedMailbox) async throws -> Lookup,
        then stream: @escaping @Sendable (Lookup) -> Streamer
    ) async throws -> (Lookup, HeldDownload) {
        let handoff = Handoff()
        let looked = OneShot<Result<Lookup, any Error>>()
        let work = Task {
            do {
                try await context.withFolder(caller, folder, access: .read) { session, state in
                    // A retry on a fresh session (the first died) looks up again only when the
                    // first lookup did not finish; otherwise it goes on streaming.
                    let result: Lookup
                    if case .success(let known)? = looked.value {
                        result = known
                    } else {
                        result = try await lookup(session, state)
                        looked.set(.success(result))
                    }
                    guard let deliver = await handoff.wait(timeout: handoffTimeout) else { return }
                    try await stream(result)(session, state, deliver)
                }
            } catch {
                looked.set(.failure(error))
                throw error
            }
        }
        let result = await looked.wait()
        return (try result.get(), HeldDownload(handoff: handoff, work: work))
    }

    /// Streams the body on the held session, handing each chunk to `deliver`; returns when the
    /// body is complete and the session is back in the pool.
    func run(_ deliver: @escaping Deliver) async throws {
        guard handoff.give(deliver) else {
            throw Problem.make(503, "stream-abandoned", title: "Download abandoned",
                               detail: "The download's IMAP session was given back before the body started.")
        }
        try await work.value
    }

    /// Gives the session back without streaming (304, HEAD).
    func abandon() {
        handoff.abandon()
    }
}

/// Hands a stream's writer to the task holding the session, once; or tells it none will come.
private final class Handoff: Sendable {
    private enum State {
        case waiting(CheckedContinuation<HeldDownload.Deliver?, Never>?)
        case given(HeldDownload.Deliver)
        case abandoned
    }

    private let state = Protected(State.waiting(nil))

    /// Whether the holder took `deliver` (false once abandoned).
    func give(_ deliver: @escaping HeldDownload.Deliver) -> Bool {
        let (taken, waiter): (Bool, CheckedContinuation<HeldDownload.Deliver?, Never>?) = state.withLock { state in
            guard case .waiting(let continuation) = state else { return (false, nil) }
            state = .given(deliver)
            return (true, continuation)
        }
        waiter?.resume(returning: deliver)
        return taken
    }

    func abandon() {
        let resumed: CheckedContinuation<HeldDownload.Deliver?, Never>? = state.withLock { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .abandoned
            return continuation
        }
        resumed?.resume(returning: nil)
    }

    /// The writer, at once if it was given already (a retry), or nil when abandoned or after `timeout`.
    func wait(timeout: Duration) async -> HeldDownload.Deliver? {
        let timer = Task { [self] in
            try await Task.sleep(for: timeout)
            abandon()
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let now: HeldDownload.Deliver?? = state.withLock { state in
                switch state {
                case .waiting:
                    state = .waiting(continuation)
                    return .none
                case .given(let deliver): return .some(deliver)
                case .abandoned: return .some(nil)
                }
            }
            if let now { continuation.resume(returning: now) }
        }
    }
}

/// A value set once and awaited; later sets are ignored.
private final class OneShot<Value: Sendable>: Sendable {
    private let state = Protected<(value: Value?, waiters: [CheckedContinuation<Value, Never>])>((nil, []))

    var value: Value? { state.withLock { $0.value } }

    func set(_ value: Value) {
        let waiters: [CheckedContinuation<Value, Never>] = state.withLock { state in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            let ready: Value? = state.withLock { state in
                if let value = state.value { return value }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
