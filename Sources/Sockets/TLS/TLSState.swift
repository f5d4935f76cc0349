import COpenSSL

/// The OpenSSL session attached to one channel.
struct TLSState {
    let ssl: OpaquePointer
    let isClient: Bool
    /// The name verified (client) or the peer address (server), for error messages.
    let peerName: String
    var isEstablished = false

    /// Sends close_notify if the session was up (one non-blocking try), then frees it.
    static func shutdownAndFree(_ tls: TLSState) {
        if tls.isEstablished {
            ERR_clear_error()
            _ = SSL_shutdown(tls.ssl)
        }
        free(tls)
    }

    static func free(_ tls: TLSState) {
        SSL_free(tls.ssl)
        ERR_clear_error()
    }
}
