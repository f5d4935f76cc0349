#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenSSL writes through `write()`, which cannot take MSG_NOSIGNAL; a peer that vanished
/// would then kill the process with SIGPIPE. Ignoring it once, process-wide, turns that into EPIPE.
enum SignalSetup {
    static let ignoreBrokenPipe: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}
