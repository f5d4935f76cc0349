import COpenSSL

/// A server certificate chain and private key, loaded and checked once, shared by all connections.
public final class TLSServerContext: Sendable {
    let context: TLSContext

    /// Loads a PEM certificate chain (leaf first) and its PEM private key; throws
    /// `SocketError.tls` naming the file if either is unreadable or they do not match.
    public init(certificateFile: String, privateKeyFile: String) throws {
        let context = TLSContext(pointer: try TLSContext.make(server: true))
        ERR_clear_error()
        guard SSL_CTX_use_certificate_chain_file(context.pointer, certificateFile) == 1 else {
            throw SocketError.tls(message: "cannot load certificate chain '\(certificateFile)': \(OpenSSLErrors.drain())")
        }
        guard SSL_CTX_use_PrivateKey_file(context.pointer, privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            throw SocketError.tls(message: "cannot load private key '\(privateKeyFile)': \(OpenSSLErrors.drain())")
        }
        guard SSL_CTX_check_private_key(context.pointer) == 1 else {
            throw SocketError.tls(message: "private key '\(privateKeyFile)' does not match certificate '\(certificateFile)': \(OpenSSLErrors.drain())")
        }
        self.context = context
    }
}
