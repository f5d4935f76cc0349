import COpenSSL

/// Owns one configured `SSL_CTX`.
// @unchecked Sendable: the SSL_CTX is fully configured in the initializer and never changed
// afterwards; OpenSSL allows SSL_new from one SSL_CTX on many threads at once.
final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    /// A context with what every connection gets: TLS 1.2 or newer, partial writes with a buffer
    /// that may move between retries, buffers released while idle, and a peer that closes
    /// without close_notify read as plain EOF (many IMAP servers just close).
    static func make(server: Bool) throws -> OpaquePointer {
        ERR_clear_error()
        guard let context = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()) else {
            throw SocketError.tls(message: "SSL_CTX_new: \(OpenSSLErrors.drain())")
        }
        guard c_openssl_ctx_set_min_proto_version(context, c_openssl_tls1_2_version()) == 1 else {
            SSL_CTX_free(context)
            throw SocketError.tls(message: "cannot require TLS 1.2: \(OpenSSLErrors.drain())")
        }
        _ = c_openssl_ctx_set_mode(context, c_openssl_mode_partial_write() | c_openssl_mode_release_buffers())
        _ = SSL_CTX_set_options(context, c_openssl_op_ignore_unexpected_eof())
        return context
    }
}

/// Client contexts, one per (CA file, verification) pair: loading the system CA store costs
/// milliseconds and memory, so it is done once, not per connection.
enum TLSClientContexts {
    private struct Key: Hashable {
        var caFile: String?
        var insecure: Bool
    }

    private static let lock = Lock()
    // nonisolated(unsafe): only read or written while holding `lock`.
    nonisolated(unsafe) private static var cache: [Key: TLSContext] = [:]

    static func context(for configuration: TLSClientConfiguration) throws -> TLSContext {
        let key = Key(caFile: configuration.caFile, insecure: configuration.insecureSkipVerification)
        return try lock.withLock {
            if let cached = cache[key] { return cached }
            let context = TLSContext(pointer: try TLSContext.make(server: false))
            if configuration.insecureSkipVerification {
                SSL_CTX_set_verify(context.pointer, SSL_VERIFY_NONE, nil)
            } else {
                SSL_CTX_set_verify(context.pointer, SSL_VERIFY_PEER, nil)
                if let caFile = configuration.caFile {
                    guard SSL_CTX_load_verify_locations(context.pointer, caFile, nil) == 1 else {
                        throw SocketError.tls(message: "cannot load CA file '\(caFile)': \(OpenSSLErrors.drain())")
                    }
                } else {
                    guard SSL_CTX_set_default_verify_paths(context.pointer) == 1 else {
                        throw SocketError.tls(message: "cannot load the system CA store: \(OpenSSLErrors.drain())")
                    }
                }
            }
            cache[key] = context
            return context
        }
    }
}
