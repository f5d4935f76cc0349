import Logging

/// Parsing the textual forms of settings, shared by flags and environment variables.
public enum SettingParsers {
    /// `30`, `30s`, `500ms`, `5m`, `1h` → a duration (plain numbers are seconds).
    public static func duration(_ text: String, setting: String) throws(ConfigurationError) -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text.trimmingASCIISpaces)
        var scale = 1.0
        for (suffix, factor) in units where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value >= 0, value.isFinite else {
            throw .invalidValue(setting: setting, value: text, expected: "a duration such as 30, 30s, 500ms or 5m")
        }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    /// A positive whole number.
    public static func positiveInt(_ text: String, setting: String) throws(ConfigurationError) -> Int {
        guard let value = Int(text.trimmingASCIISpaces), value > 0 else {
            throw .invalidValue(setting: setting, value: text, expected: "a whole number above 0")
        }
        return value
    }

    /// A whole number, 0 or more; `unit` names what is counted in the error ("of bytes").
    public static func wholeNumber(_ text: String, setting: String, unit: String = "") throws(ConfigurationError) -> Int {
        guard let value = Int(text.trimmingASCIISpaces), value >= 0 else {
            throw .invalidValue(setting: setting, value: text, expected: "a whole number\(unit.isEmpty ? "" : " " + unit), 0 or more")
        }
        return value
    }

    /// `implicit`, `starttls` or `none`.
    public static func imapSecurity(_ text: String) throws(ConfigurationError) -> IMAPSecurity {
        guard let value = IMAPSecurity(rawValue: text.lowercased()) else {
            throw .invalidValue(setting: "imap-tls", value: text, expected: "implicit, starttls or none")
        }
        return value
    }

    /// Comma-separated SHA-256 hex digests of API keys.
    public static func apiKeyHashes(_ text: String) throws(ConfigurationError) -> [SHA256Digest] {
        var hashes: [SHA256Digest] = []
        for item in text.split(separator: ",") {
            let trimmed = String(item).trimmingASCIISpaces
            guard let digest = SHA256Digest(hex: trimmed) else {
                throw .invalidValue(setting: "api-key-sha256", value: String(trimmed.prefix(8)) + "…",
                                    expected: "64 hex digits (sha256sum of the key), comma-separated")
            }
            hashes.append(digest)
        }
        return hashes
    }

    /// `trace` ... `critical`.
    public static func logLevel(_ text: String) throws(ConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw .invalidValue(setting: "log-level", value: text,
                                expected: Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return level
    }

    /// Comma-separated origins, `*` for any.
    public static func origins(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingASCIISpaces }.filter { !$0.isEmpty }
    }
}
