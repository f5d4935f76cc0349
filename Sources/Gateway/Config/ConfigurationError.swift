/// A setting that cannot be used, with what was expected instead.
public enum ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidValue(setting: String, value: String, expected: String)
    case missing(setting: String, why: String)
    case unsafe(String)

    public var description: String {
        switch self {
        case .invalidValue(let setting, let value, let expected):
            "Invalid \(setting) '\(value)': expected \(expected)."
        case .missing(let setting, let why):
            "Missing \(setting): \(why)."
        case .unsafe(let reason):
            reason
        }
    }
}
