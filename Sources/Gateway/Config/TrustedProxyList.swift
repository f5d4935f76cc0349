import HTTPServer

/// `--trusted-proxies`: comma-separated addresses or networks (`10.0.0.0/8, ::1`) of reverse
/// proxies whose `X-Forwarded-For` / `Forwarded` headers are believed.
public struct TrustedProxyList: SettingValue, Hashable {
    public let networks: [IPNetwork]

    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> TrustedProxyList {
        var networks: [IPNetwork] = []
        for item in text.split(separator: ",") {
            let trimmed = String(item).trimmingASCIISpaces
            guard !trimmed.isEmpty else { continue }
            guard let network = IPNetwork(trimmed) else {
                throw .invalidValue(setting: setting, value: trimmed, expected: "an IP address or network such as 10.0.0.0/8 or ::1")
            }
            networks.append(network)
        }
        return TrustedProxyList(networks: networks)
    }
}
