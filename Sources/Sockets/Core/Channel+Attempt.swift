#if canImport(Glibc)
import Glibc
#endif
import COpenSSL

extension Channel {
    /// One non-blocking try of an operation. Called with the lock held; may shrink a write's
    /// remaining bytes in `kind`.
    func attempt(_ kind: inout OperationKind) -> AttemptResult {
        switch kind {
        case .read(let maxBytes):
            if let tls = state.tls { return tlsRead(tls, maxBytes: maxBytes) }
            return plainRead(maxBytes: maxBytes)
        case .write(let bytes):
            var remaining = bytes
            kind = .write([])
            let result = state.tls.map { tlsWrite($0, &remaining) } ?? plainWrite(&remaining)
            kind = .write(remaining)
            return result
        case .connect:
            return connectResult()
        case .accept:
            return acceptOne()
        case .handshake:
            guard let tls = state.tls else { return .failed(.tls(message: "handshake without a TLS session")) }
            return handshake(tls)
        }
    }

    private func plainRead(maxBytes: Int) -> AttemptResult {
        let buffer = ScratchBuffer.forCurrentThread()
        let requested = min(maxBytes, ScratchBuffer.size)
        do throws(SocketError) {
            switch try Syscall.receive(state.fd, into: buffer, count: requested) {
            case .wouldBlock:
                state.drainedAtEvent = state.readinessEvents
                return .wait(.readable)
            case .processed(let count):
                // Fewer bytes than asked for: the receive queue is empty now. (An end of stream
                // behind them is readable still; `peerHungUp` covers that.)
                state.drainedAtEvent = count > 0 && count < requested ? state.readinessEvents : nil
                return .completed(.bytes(copyBytes(buffer, count)))
            }
        } catch {
            state.drainedAtEvent = nil
            return .failed(peerError(error))
        }
    }

    private func plainWrite(_ remaining: inout ArraySlice<UInt8>) -> AttemptResult {
        let fd = state.fd
        while !remaining.isEmpty {
            let result = remaining.withUnsafeBytes { raw in
                Result { () throws(SocketError) in try Syscall.send(fd, from: raw.baseAddress!, count: raw.count) }
            }
            switch result {
            case .success(.processed(let sent)):
                remaining = remaining[(remaining.startIndex + sent)...]
            case .success(.wouldBlock):
                return .wait(.writable)
            case .failure(let error):
                return .failed(peerError(error))
            }
        }
        return .completed(.done)
    }

    private func connectResult() -> AttemptResult {
        do throws(SocketError) {
            let code = try Syscall.socketError(state.fd)
            if code == 0 { return .completed(.done) }
            return .failed(.failed(call: "connect", errno: code))
        } catch {
            return .failed(error)
        }
    }

    private func acceptOne() -> AttemptResult {
        while true {
            do throws(SocketError) {
                switch try Syscall.accept(state.fd) {
                case .wouldBlock: return .wait(.readable)
                case .processed(let accepted): return .completed(.accepted(fd: accepted.fd, address: accepted.address))
                }
            } catch {
                // A connection that died in the backlog is not the listener's failure.
                if case .failed(_, let code) = error, code == ECONNABORTED || code == EPROTO { continue }
                return .failed(error)
            }
        }
    }

    // MARK: - TLS

    private func tlsRead(_ tls: TLSState, maxBytes: Int) -> AttemptResult {
        // SSL_read is always tried before waiting, so bytes OpenSSL already decrypted are
        // returned without touching the descriptor; and it never parks while SSL_pending says
        // decrypted bytes are buffered (readiness of the fd would not announce them).
        let buffer = ScratchBuffer.forCurrentThread()
        while true {
            var count = 0
            ERR_clear_error()
            let result = SSL_read_ex(tls.ssl, buffer, min(maxBytes, ScratchBuffer.size), &count)
            let savedErrno = errno
            if result == 1 { return .completed(.bytes(copyBytes(buffer, count))) }
            let code = SSL_get_error(tls.ssl, result)
            if code == SSL_ERROR_ZERO_RETURN { return .completed(.bytes([])) }
            if code == SSL_ERROR_WANT_READ && SSL_pending(tls.ssl) > 0 { continue }
            return tlsFailure(tls, result: result, errno: savedErrno, operation: "read")
        }
    }

    private func tlsWrite(_ tls: TLSState, _ remaining: inout ArraySlice<UInt8>) -> AttemptResult {
        while !remaining.isEmpty {
            var written = 0
            ERR_clear_error()
            let result = remaining.withUnsafeBytes { raw in
                SSL_write_ex(tls.ssl, raw.baseAddress!, raw.count, &written)
            }
            let savedErrno = errno
            if result == 1 {
                remaining = remaining[(remaining.startIndex + written)...]
                continue
            }
            return tlsFailure(tls, result: result, errno: savedErrno, operation: "write")
        }
        return .completed(.done)
    }

    private func handshake(_ tls: TLSState) -> AttemptResult {
        ERR_clear_error()
        let result = SSL_do_handshake(tls.ssl)
        let savedErrno = errno
        if result == 1 {
            state.tls?.isEstablished = true
            return .completed(.done)
        }
        let code = SSL_get_error(tls.ssl, result)
        if tls.isClient && code == SSL_ERROR_SSL {
            let verification = SSL_get_verify_result(tls.ssl)
            if verification != Int(X509_V_OK) {
                ERR_clear_error()
                let reason = String(cString: X509_verify_cert_error_string(verification))
                return .failed(.certificateVerificationFailed(host: tls.peerName, message: reason))
            }
        }
        if code == SSL_ERROR_ZERO_RETURN || (code == SSL_ERROR_SYSCALL && savedErrno == 0) {
            ERR_clear_error()
            return .failed(.tls(message: "TLS handshake with \(tls.peerName): the peer closed the connection"))
        }
        return tlsFailure(tls, result: result, errno: savedErrno, operation: "handshake with \(tls.peerName)")
    }

    private func tlsFailure(_ tls: TLSState, result: Int32, errno savedErrno: Int32, operation: String) -> AttemptResult {
        switch SSL_get_error(tls.ssl, result) {
        case SSL_ERROR_WANT_READ:
            return .wait(.readable)
        case SSL_ERROR_WANT_WRITE:
            return .wait(.writable)
        case SSL_ERROR_ZERO_RETURN:
            return .failed(.disconnected)
        case SSL_ERROR_SYSCALL:
            let detail = OpenSSLErrors.drain()
            if savedErrno == 0 || savedErrno == ECONNRESET || savedErrno == EPIPE { return .failed(.disconnected) }
            if savedErrno == EAGAIN || savedErrno == EWOULDBLOCK {
                return .failed(.tls(message: "TLS \(operation): unexpected would-block (\(detail))"))
            }
            return .failed(.failed(call: "SSL \(operation)", errno: savedErrno))
        default:
            return .failed(.tls(message: "TLS \(operation): \(OpenSSLErrors.drain())"))
        }
    }
}

/// Copies `count` bytes out of the scratch buffer into an array of exactly that size.
@inline(__always)
private func copyBytes(_ buffer: UnsafeMutableRawPointer, _ count: Int) -> [UInt8] {
    if count == 0 { return [] }
    return [UInt8](unsafeUninitializedCapacity: count) { destination, initialized in
        UnsafeMutableRawPointer(destination.baseAddress!).copyMemory(from: buffer, byteCount: count)
        initialized = count
    }
}

/// Peer-caused breakage becomes `.disconnected`; anything else keeps its call and errno.
private func peerError(_ error: SocketError) -> SocketError {
    if case .failed(_, let code) = error, code == ECONNRESET || code == EPIPE || code == ECONNABORTED {
        return .disconnected
    }
    return error
}
