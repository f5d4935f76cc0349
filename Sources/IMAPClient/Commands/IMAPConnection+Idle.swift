import Sockets

extension IMAPConnection {
    /// IDLE (RFC 2177) until `deadline` or until the calling task is cancelled, then DONE (a
    /// cancelled IDLE returns normally and leaves the session usable).
    /// Every untagged response meanwhile (EXISTS, EXPUNGE, FETCH FLAGS, VANISHED) updates the
    /// session and is passed to `onEvent`. Servers drop IDLE after about 30 minutes: keep
    /// deadlines shorter (RFC 2177 suggests re-issuing every 29 minutes).
    public func idle(until deadline: ContinuousClock.Instant, onEvent: @Sendable (UntaggedResponse) -> Void) async throws {
        guard capabilities.contains(.idle) else { throw IMAPError.missingExtension(.idle) }
        do {
            try await idleExchange(until: deadline, onEvent: onEvent)
            report("IDLE", .ok)
        } catch {
            report("IDLE", Self.outcome(of: error))
            throw error
        }
    }

    private func idleExchange(until deadline: ContinuousClock.Instant, onEvent: @Sendable (UntaggedResponse) -> Void) async throws {
        try await exclusive {
            let tag = state.withLock { $0.nextTag() }
            let timeout = configuration.commandTimeout
            do {
                try await stream.write(try encoder.encode(.idle, tag: tag).bytes, timeout: timeout)
                do {
                    try await awaitIdleAccepted(tag: tag, onEvent: onEvent)
                } catch is CancellationError {
                    // Cancelled before the server's `+`: the server will still enter IDLE, so
                    // the exchange is finished (`+`, DONE, OK) from a task of its own, which can
                    // read; the session then stays usable, as after a cancel during IDLE.
                    try await withoutActuallyEscaping(onEvent) { onEvent in
                        try await Task {
                            try await self.awaitIdleAccepted(tag: tag, onEvent: onEvent)
                            try await self.endIdle(tag: tag, onEvent: onEvent)
                        }.value
                    }
                    return
                }
                idling: while true {
                    let left = deadline - .now
                    guard left > .zero, !Task.isCancelled else { break }
                    let response: Response
                    do {
                        response = try await readResponse(timeout: left)
                    } catch SocketError.timedOut {
                        break idling
                    } catch is CancellationError {
                        break idling
                    }
                    switch response {
                    case .untagged(let data):
                        record(data)
                        onEvent(data)
                        if case .condition(.bye, let text) = data { throw IMAPError.bye(text) }
                    case .tagged(let done) where done.tag == tag:
                        // The server ended IDLE on its own.
                        return
                    default:
                        continue
                    }
                }
                // Always from a task of its own: reads of a cancelled task fail at once, and a
                // cancel can land after this point too (the round's deadline passed just as a
                // change cancelled it), which would leave DONE's OK unread for the next command.
                // The task is awaited before returning, so `onEvent` does not outlive this call.
                try await withoutActuallyEscaping(onEvent) { onEvent in
                    try await Task { try await self.endIdle(tag: tag, onEvent: onEvent) }.value
                }
            } catch let error as SocketError {
                let mapped = map(error, command: "IDLE")
                invalidate("IDLE: \(error)")
                throw mapped
            } catch let error as IMAPError {
                if case .no = error { throw error }
                invalidate("IDLE: \(error)")
                throw error
            } catch let error as CommandEncodingError {
                throw IMAPError.invalidArgument(error.description)
            }
        }
    }

    /// Reads until IDLE's `+`: the server may refuse (tagged NO/BAD) or send data first.
    private func awaitIdleAccepted(tag: String, onEvent: @Sendable (UntaggedResponse) -> Void) async throws {
        while true {
            switch try await readResponse(timeout: configuration.commandTimeout) {
            case .continuation: return
            case .untagged(let data):
                record(data)
                onEvent(data)
            case .tagged(let done) where done.tag == tag:
                throw done.status == .no ? IMAPError.no(command: "IDLE", done.text) : IMAPError.bad(command: "IDLE", done.text)
            case .tagged: continue
            }
        }
    }

    /// Sends DONE and reads until IDLE's tagged OK.
    private func endIdle(tag: String, onEvent: @Sendable (UntaggedResponse) -> Void) async throws {
        let timeout = configuration.commandTimeout
        try await stream.write(Array("DONE\r\n".utf8), timeout: timeout)
        while true {
            switch try await readResponse(timeout: timeout) {
            case .untagged(let data):
                record(data)
                onEvent(data)
            case .tagged(let done) where done.tag == tag:
                guard done.status == .ok else { throw IMAPError.bad(command: "IDLE", done.text) }
                return
            default:
                continue
            }
        }
    }
}
