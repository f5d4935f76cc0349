import Foundation
import Logging

/// Keeps every log record a logger made, so tests can check what is and is not logged (a
/// password must never appear, a request id must). One capture serves any number of loggers.
public final class LogCapture: Sendable {
    /// One record, metadata flattened to strings.
    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
        /// Message and metadata as one string, for "never appears anywhere" checks.
        public var everything: String { message + " " + metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
    }

    private let records = LockedValue<[Record]>([])

    public init() {}

    /// A logger whose records land here; `level` is the lowest level it keeps.
    public func logger(label: String = "capture", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in CapturingLogHandler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// A logger that keeps everything.
    public var logger: Logger { logger() }

    /// Every record so far, oldest first.
    public var all: [Record] { records.withLock { $0 } }

    /// Every record as a line "level message metadata", for substring checks.
    public var text: String { all.map { "\($0.level) \($0.everything)" }.joined(separator: "\n") }

    fileprivate func append(_ record: Record) { records.withLock { $0.append(record) } }
}

private struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var flat: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { flat[key] = "\(value)" }
        capture.append(.init(level: event.level, message: "\(event.message)", metadata: flat))
    }
}
