import Logging

/// A setting's value: read the same way from a command-line flag and from its environment
/// variable, and when it cannot be read, the error names the setting and what was expected.
public protocol SettingValue: Sendable {
    /// Reads `text`; `setting` is the flag's name, for the error.
    static func parse(_ text: String, setting: String) throws(ConfigurationError) -> Self
}

extension Duration: SettingValue {
    /// `30`, `30s`, `500ms`, `5m`, `1h` (plain numbers are seconds).
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> Duration {
        try SettingParsers.duration(text, setting: setting)
    }
}

extension ListenAddress: SettingValue {
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> ListenAddress {
        try ListenAddress(parsing: text)
    }
}

extension IMAPSecurity: SettingValue {
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> IMAPSecurity {
        try SettingParsers.imapSecurity(text)
    }
}

extension Logger.Level: SettingValue {
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> Logger.Level {
        try SettingParsers.logLevel(text)
    }
}

/// A whole number above 0: pool sizes, stream limits, byte limits.
public struct PositiveCount: SettingValue, Hashable {
    public let value: Int
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> PositiveCount {
        PositiveCount(value: try SettingParsers.positiveInt(text, setting: setting))
    }
}

/// A whole number, 0 or more (0 turns the thing counted off).
public struct WholeCount: SettingValue, Hashable {
    public let value: Int
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> WholeCount {
        WholeCount(value: try SettingParsers.wholeNumber(text, setting: setting))
    }
}

/// A whole number of bytes, 0 or more (0 turns a cache off).
public struct ByteCount: SettingValue, Hashable {
    public let value: Int
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> ByteCount {
        ByteCount(value: try SettingParsers.wholeNumber(text, setting: setting, unit: "of bytes"))
    }
}

/// A TCP port, 1-65535.
public struct PortNumber: SettingValue, Hashable {
    public let value: Int
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> PortNumber {
        let value = try SettingParsers.positiveInt(text, setting: setting)
        guard value <= 65535 else { throw .invalidValue(setting: setting, value: text, expected: "1-65535") }
        return PortNumber(value: value)
    }
}

/// How log lines are written: `text` (one line each) or `json` (one object each).
public enum LogFormat: String, SettingValue, CaseIterable {
    case text, json
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> LogFormat {
        guard let format = LogFormat(rawValue: text) else { throw .invalidValue(setting: setting, value: text, expected: "text or json") }
        return format
    }
}

/// The `--auth` word: `passthrough` (HTTP Basic is the IMAP login) or `account` (one configured
/// account, API keys). `AuthMode` is the configured result, with the account's details.
public enum AuthModeName: String, SettingValue, CaseIterable {
    case passthrough, account
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> AuthModeName {
        guard let mode = AuthModeName(rawValue: text) else {
            throw .invalidValue(setting: setting, value: text, expected: "passthrough or account")
        }
        return mode
    }
}

/// `on` or `off` (`--mirror`).
public enum OnOff: String, SettingValue, CaseIterable {
    case on, off
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> OnOff {
        guard let value = OnOff(rawValue: text.lowercased()) else {
            throw .invalidValue(setting: setting, value: text, expected: "on or off")
        }
        return value
    }
}

/// Comma-separated SHA-256 hex digests of accepted API keys.
public struct APIKeyHashes: SettingValue, Hashable {
    public let digests: [SHA256Digest]
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> APIKeyHashes {
        APIKeyHashes(digests: try SettingParsers.apiKeyHashes(text))
    }
}

/// Comma-separated origins allowed by CORS, `*` for any.
public struct OriginList: SettingValue, Hashable {
    public let origins: [String]
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> OriginList {
        OriginList(origins: SettingParsers.origins(text))
    }
}
