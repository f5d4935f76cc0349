/// Where the HTTP server listens: `127.0.0.1:8080`, `0.0.0.0:80`, `[::1]:8080`.
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; an IPv6 host goes in brackets. Port 0 picks a free port.
    public init(parsing text: String) throws(ConfigurationError) {
        let invalid = ConfigurationError.invalidValue(
            setting: "listen", value: text, expected: "HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080")
        let host: Substring, portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else { throw invalid }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw invalid }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else { throw invalid }
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { throw invalid }
        self.host = String(host)
        self.port = port
    }

    /// Whether only this machine can reach the address.
    public var isLoopback: Bool {
        host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
