import Logging
import Sockets

extension IMAPConnection {
    /// Runs `body` as the only user of the connection. Every `send` happens inside one of these.
    @discardableResult
    func exclusive<Result>(_ body: () async throws -> Result) async throws -> Result {
        await gate.acquire()
        defer { gate.release() }
        try ensureUsable()
        return try await body()
    }

    func ensureUsable() throws(IMAPError) {
        let (usable, bye) = state.withLock { ($0.usable, $0.bye) }
        guard usable, !stream.isClosed else {
            if let bye { throw .bye(bye) }
            throw .disconnected
        }
    }

    /// Sends one command and reads until its tagged response. Untagged responses update the
    /// session and go to `untagged`; `+` continuations go to `continuation`, whose bytes are sent
    /// back (AUTHENTICATE). `message` writes APPEND's literal. NO and BAD throw unless
    /// `requireOK` is false. Any I/O, timeout or framing failure closes the connection.
    ///
    /// `timeout` (default `commandTimeout`) bounds the whole command, not each read: see
    /// `CommandDeadline` for what it does not count (the gateway's own work, steady progress).
    @discardableResult
    func send(
        _ command: Command,
        timeout: Duration? = nil,
        requireOK: Bool = true,
        untagged: (UntaggedResponse) async throws -> Void = { _ in },
        continuation: ((String) async throws -> [UInt8])? = nil,
        message: ((_ write: ([UInt8]) async throws -> Void) async throws -> Void)? = nil
    ) async throws -> TaggedResponse {
        let timeout = timeout ?? configuration.commandTimeout
        let changesView = Self.mayChangeView(command)
        let tag = state.withLock { state in
            if changesView { state.viewVersion = MailboxViewVersion.next() }
            return state.nextTag()
        }
        // Whatever way it ends (a NO may still have changed something), the view moved on.
        defer { if changesView { state.withLock { $0.viewVersion = MailboxViewVersion.next() } } }
        let encoded: EncodedCommand
        do {
            encoded = try encoder.encode(command, tag: tag)
        } catch {
            throw IMAPError.invalidArgument(error.description)
        }
        logger.trace("C: \(encoded.logText)")

        let tagged: TaggedResponse
        do {
            var deadline = CommandDeadline(after: timeout)
            tagged = try await exchange(encoded, deadline: &deadline, timeout: timeout, untagged: untagged,
                                        continuation: continuation, message: message)
        } catch let error as IMAPError {
            invalidate("\(command.name): \(error)")
            report(command.name, .error)
            throw error
        } catch let error as SocketError {
            let mapped = map(error, command: command.name)
            invalidate("\(command.name): \(error)")
            report(command.name, .error)
            throw mapped
        } catch {
            // Cancellation or a failing APPEND body: the protocol state is unknown.
            invalidate("\(command.name): \(error)")
            report(command.name, .error)
            throw error
        }
        report(command.name, Self.outcome(tagged.status))
        if let code = tagged.text.code { state.withLock { $0.apply(code) } }
        logger.debug("IMAP \(command.name) \(tagged.status.rawValue)")
        guard requireOK else { return tagged }
        switch tagged.status {
        case .ok: return tagged
        case .no: throw IMAPError.no(command: command.name, tagged.text)
        case .bad: throw IMAPError.bad(command: command.name, tagged.text)
        case .bye, .preauth: throw IMAPError.protocolViolation("tagged \(tagged.status.rawValue) for \(command.name)")
        }
    }

    private func exchange(
        _ encoded: EncodedCommand, deadline: inout CommandDeadline, timeout: Duration,
        untagged: (UntaggedResponse) async throws -> Void,
        continuation: ((String) async throws -> [UInt8])?,
        message: ((_ write: ([UInt8]) async throws -> Void) async throws -> Void)?
    ) async throws -> TaggedResponse {
        let tag = encoded.tag
        for part in encoded.parts {
            switch part {
            case .bytes(let bytes):
                try await stream.write(bytes, timeout: try deadline.remaining())
            case .awaitContinuation:
                // Wait for `+`; a tagged NO/BAD here ends the command without the literal.
                while true {
                    let response = try await readResponse(deadline: &deadline)
                    switch response {
                    case .continuation: break
                    case .untagged(let data):
                        try await deadline.excusing { try await handle(data, untagged) }
                        continue
                    case .tagged(let done) where done.tag == tag:
                        return done
                    case .tagged(let other):
                        logger.warning("ignoring response for unknown tag \(other.tag)")
                        continue
                    }
                    break
                }
            case .messageData(let size):
                guard let message else { throw IMAPError.invalidArgument("APPEND of \(size) octets without a message") }
                // The literal is paced by whoever supplies it (an HTTP upload): the phase is not
                // charged to the server, and each write is bounded on its own instead.
                try await deadline.excusing {
                    try await message { chunk in try await self.stream.write(chunk, timeout: timeout) }
                }
            }
        }
        while true {
            let response = try await readResponse(deadline: &deadline)
            switch response {
            case .untagged(let data):
                try await deadline.excusing { try await handle(data, untagged) }
            case .tagged(let done) where done.tag == tag:
                return done
            case .tagged(let other):
                logger.warning("ignoring response for unknown tag \(other.tag)")
            case .continuation(let text):
                guard let continuation else {
                    throw IMAPError.protocolViolation("unexpected continuation request during \(encoded.name)")
                }
                // Never logged: these are SASL credentials.
                try await stream.write(try await continuation(text), timeout: try deadline.remaining())
            }
        }
    }

    /// Whether `command` may change the selected mailbox or which one is selected, so that the
    /// session's view version must move on (`MailboxViewVersion`). The reads and the commands
    /// that touch no mailbox keep it; an unknown future command counts as a change.
    static func mayChangeView(_ command: Command) -> Bool {
        switch command {
        case .capability, .login, .authenticate, .enable, .namespace, .list, .lsub, .status, .uidSearch, .fetch,
             .uidFetch, .uidFetchVanished, .noop, .idle, .done, .logout, .startTLS, .id:
            false
        default:
            true
        }
    }

    /// Tells the configuration's observer (metrics) how a command ended.
    func report(_ command: String, _ outcome: IMAPCommandOutcome) {
        configuration.commandObserver?(command, outcome)
    }

    /// How a command that threw `error` ended.
    static func outcome(of error: any Error) -> IMAPCommandOutcome {
        switch error {
        case IMAPError.no: .no
        case IMAPError.bad: .bad
        default: .error
        }
    }

    static func outcome(_ status: ResponseStatus) -> IMAPCommandOutcome {
        switch status {
        case .ok: .ok
        case .no: .no
        case .bad: .bad
        case .bye, .preauth: .error
        }
    }

    private func handle(_ response: UntaggedResponse, _ untagged: (UntaggedResponse) async throws -> Void) async throws {
        record(response)
        try await untagged(response)
    }

    /// Applies an untagged response to the session and tells the mailbox observer about changes.
    func record(_ response: UntaggedResponse) {
        let observer = state.withLock { state in
            state.apply(response)
            return state.mailboxObserver
        }
        guard let observer else { return }
        switch response {
        case .exists, .expunge, .vanished, .condition(.bye, _): observer(response)
        case .fetch(let fetch) where fetch.flags != nil: observer(response)
        default: break
        }
    }

    /// The next complete response, reading as needed. Non-fatal parse errors skip one response;
    /// `timeout` bounds the whole response, however slowly its bytes arrive (`SocketError.timedOut`).
    /// EOF throws `.bye` when the server said BYE, else a connection error.
    func readResponse(timeout: Duration, skipMalformed: Bool = true) async throws -> Response {
        var deadline = CommandDeadline(after: timeout)
        return try await readResponse(deadline: &deadline, skipMalformed: skipMalformed)
    }

    /// The next complete response before `deadline` (which received bytes extend, see `CommandDeadline`).
    func readResponse(deadline: inout CommandDeadline, skipMalformed: Bool = true) async throws -> Response {
        while true {
            do {
                if let response = try reader.parser.next() {
                    logger.trace("S: \(ResponseSummary.describe(response))")
                    return response
                }
            } catch {
                if error.isFatal { throw IMAPError.parse(error) }
                if !skipMalformed { throw IMAPError.protocolViolation("unreadable response: \(error)") }
                logger.warning("skipping an unreadable IMAP response", metadata: ["error": "\(error)"])
                continue
            }
            let bytes = try await stream.read(maxBytes: 65536, timeout: try deadline.remaining())
            deadline.received(bytes.count)
            if bytes.isEmpty {
                if let bye = state.withLock({ $0.bye }) { throw IMAPError.bye(bye) }
                throw IMAPError.connection(.disconnected)
            }
            reader.feed(bytes)
        }
    }

    func map(_ error: SocketError, command: String) -> IMAPError {
        switch error {
        case .timedOut: return .timedOut(command: command)
        case .closed:
            if let bye = state.withLock({ $0.bye }) { return .bye(bye) }
            return .disconnected
        default: return .connection(error)
        }
    }
}
