#if canImport(Glibc)
import Glibc
#endif
import COpenSSL

extension Channel {
    /// Attaches a new OpenSSL session to the (idle, plain) descriptor. `configure` sets the
    /// client's names before the handshake.
    func attachTLS(
        context: TLSContext, isClient: Bool, peerName: String,
        configure: (OpaquePointer) throws -> Void
    ) throws {
        try lock.withLock {
            if state.isClosed { throw SocketError.closed }
            if state.tls != nil { throw SocketError.tls(message: "the connection already uses TLS") }
            if state.reader != nil || state.writer != nil {
                throw SocketError.operationInProgress(operation: "read or write (TLS needs an idle connection)")
            }
            ERR_clear_error()
            guard let ssl = SSL_new(context.pointer) else {
                throw SocketError.tls(message: "SSL_new: \(OpenSSLErrors.drain())")
            }
            guard SSL_set_fd(ssl, state.fd) == 1 else {
                SSL_free(ssl)
                throw SocketError.tls(message: "SSL_set_fd: \(OpenSSLErrors.drain())")
            }
            if isClient { SSL_set_connect_state(ssl) } else { SSL_set_accept_state(ssl) }
            do {
                try configure(ssl)
            } catch {
                SSL_free(ssl)
                throw error
            }
            state.tls = TLSState(ssl: ssl, isClient: isClient, peerName: peerName)
        }
    }

    /// Half-closes the sending direction: TLS close_notify (one non-blocking try), then
    /// shutdown(SHUT_WR). Reading continues until the peer closes its side.
    func shutdownWrite() throws {
        try lock.withLock {
            if state.isClosed { throw SocketError.closed }
            if state.writer != nil { throw SocketError.operationInProgress(operation: "write (shutdownWrite needs an idle writer)") }
            if state.isOutputShut { return }
            state.isOutputShut = true
            if let tls = state.tls, tls.isEstablished {
                ERR_clear_error()
                _ = SSL_shutdown(tls.ssl)
                ERR_clear_error()
            }
            do {
                try Syscall.shutdownOutput(state.fd)
            } catch SocketError.failed(_, let code) where code == ENOTCONN {
                // The peer already reset the connection: nothing left to half-close.
            }
        }
    }

    /// Whether a TLS session is established.
    var isTLS: Bool { lock.withLock { state.tls?.isEstablished ?? false } }
}

/// Client-side names: SNI for host names (never for IP literals, RFC 6066), and the name or
/// IP address the certificate must match unless verification is switched off.
func configureClientNames(_ ssl: OpaquePointer, peerName: String, verify: Bool) throws {
    let isIP = isIPAddressLiteral(peerName)
    if !isIP && !peerName.isEmpty {
        guard c_openssl_set_tlsext_host_name(ssl, peerName) == 1 else {
            throw SocketError.tls(message: "cannot set SNI name '\(peerName)': \(OpenSSLErrors.drain())")
        }
    }
    guard verify else { return }
    guard !peerName.isEmpty else {
        // An empty name would switch hostname checking off: any certificate from the CA would pass.
        throw SocketError.tls(message: "no host name to verify the certificate against (set serverName)")
    }
    if isIP {
        guard let parameters = SSL_get0_param(ssl),
              X509_VERIFY_PARAM_set1_ip_asc(parameters, peerName) == 1 else {
            throw SocketError.tls(message: "cannot set IP address '\(peerName)' to verify: \(OpenSSLErrors.drain())")
        }
    } else {
        SSL_set_hostflags(ssl, c_openssl_check_flag_no_partial_wildcards())
        guard SSL_set1_host(ssl, peerName) == 1 else {
            throw SocketError.tls(message: "cannot set host name '\(peerName)' to verify: \(OpenSSLErrors.drain())")
        }
    }
}
