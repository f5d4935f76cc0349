import COpenSSL

/// Reads OpenSSL's (thread-local) error queue into text.
enum OpenSSLErrors {
    /// All queued errors joined with "; ", and the queue emptied.
    static func drain() -> String {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        return messages.isEmpty ? "unknown error (OpenSSL queued none)" : messages.joined(separator: "; ")
    }
}
