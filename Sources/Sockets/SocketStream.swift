import Dispatch

/// One connected TCP stream, optionally TLS. Reads and writes suspend the calling task until
/// the socket is ready; no thread ever blocks. One read and one write may be pending at once.
public final class SocketStream: Sendable {
    let channel: Channel
    /// The peer: "127.0.0.1:5555" or "[::1]:5555".
    public let remoteAddress: String

    init(channel: Channel, remoteAddress: String) {
        self.channel = channel
        self.remoteAddress = remoteAddress
    }

    deinit {
        channel.close()
    }

    /// Returns up to maxBytes; an EMPTY array means the peer closed (EOF).
    /// At most 64 KiB are returned per call whatever `maxBytes` says.
    public func read(maxBytes: Int = 65536, timeout: Duration? = nil) async throws -> [UInt8] {
        precondition(maxBytes > 0, "read(maxBytes:) needs maxBytes > 0; an empty result means EOF")
        let outcome = try await channel.perform(.read(maxBytes: maxBytes), name: .read(from: remoteAddress), deadline: Deadline.after(timeout))
        guard case .bytes(let bytes) = outcome else { return [] }
        return bytes
    }

    /// Resumes when every byte was handed to the kernel (or TLS) — this is the backpressure point.
    public func write(_ bytes: [UInt8], timeout: Duration? = nil) async throws {
        try await write(bytes[...], timeout: timeout)
    }

    /// Resumes when every byte was handed to the kernel (or TLS) — this is the backpressure point.
    /// A write that fails, times out or is cancelled may have sent part of the bytes: close the stream.
    public func write(_ bytes: ArraySlice<UInt8>, timeout: Duration? = nil) async throws {
        if bytes.isEmpty { return }
        _ = try await channel.perform(.write(bytes), name: .write(to: remoteAddress), deadline: Deadline.after(timeout))
    }

    /// In-place upgrade of a plain connection (IMAP STARTTLS). `host` is the name verified
    /// unless `configuration.serverName` overrides it. On failure the stream is closed.
    public func startTLS(_ configuration: TLSClientConfiguration, host: String, timeout: Duration) async throws {
        try await startTLS(configuration, host: host, deadline: Deadline.fromNow(timeout))
    }

    func startTLS(_ configuration: TLSClientConfiguration, host: String, deadline: DispatchTime) async throws {
        let peerName = configuration.serverName ?? unbracketed(host)
        do {
            let context = try TLSClientContexts.context(for: configuration)
            try channel.attachTLS(context: context, isClient: true, peerName: peerName) { ssl in
                try configureClientNames(ssl, peerName: peerName, verify: !configuration.insecureSkipVerification)
            }
            _ = try await channel.perform(.handshake, name: .text("TLS handshake with \(peerName) at \(remoteAddress)"), deadline: deadline)
        } catch {
            channel.close()
            throw error
        }
    }

    /// Server side: perform the TLS handshake on an accepted connection. On failure the stream is closed.
    public func acceptTLS(_ context: TLSServerContext, timeout: Duration) async throws {
        do {
            try channel.attachTLS(context: context.context, isClient: false, peerName: remoteAddress) { _ in }
            _ = try await channel.perform(.handshake, name: .text("TLS handshake from \(remoteAddress)"), deadline: Deadline.fromNow(timeout))
        } catch {
            channel.close()
            throw error
        }
    }

    /// Half-close: the peer reads EOF once it has read everything written so far (over TLS it
    /// gets close_notify first); this side can still read. For a graceful close that does not
    /// reset a peer whose data is still unread: `shutdownWrite()`, read until EOF or a deadline, `close()`.
    /// Later writes throw `SocketError.closed`. Idempotent.
    public func shutdownWrite() throws {
        try channel.shutdownWrite()
    }

    /// Closes the connection (sending TLS close_notify if possible). Idempotent; pending reads
    /// and writes resume with `SocketError.closed`.
    public func close() {
        channel.close()
    }

    /// Whether a TLS session is established on this stream.
    public var isTLS: Bool { channel.isTLS }

    /// Whether `close()` was called (or a failed TLS handshake closed the stream).
    public var isClosed: Bool { channel.isClosed }
}
