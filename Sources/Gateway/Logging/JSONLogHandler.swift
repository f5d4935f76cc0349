import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line to standard output:
/// `{"time":"2026-01-01T10:00:00.000Z","level":"info","label":"gateway","message":"...","key":"value"}`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let output: LogOutput

    public init(label: String) {
        self.label = label
        output = .standardOutput
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = value.description }
        for (key, value) in event.metadata ?? [:] { fields[key] = value.description }
        fields["time"] = Self.timestamp()
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        let object = fields.keys.sorted { Self.order($0) < Self.order($1) || (Self.order($0) == Self.order($1) && $0 < $1) }
            .map { "\(Self.quote($0)):\(Self.quote(fields[$0]!))" }
            .joined(separator: ",")
        output.emit("{" + object + "}\n")
    }

    /// time, level, label, message first; metadata after, alphabetically.
    private static func order(_ key: String) -> Int {
        ["time": 0, "level": 1, "label": 2, "message": 3][key] ?? 4
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Where log lines go; whole lines are written with one `write(2)` so lines from several
/// threads do not interleave.
struct LogOutput: Sendable {
    static let standardOutput = LogOutput()

    func emit(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
