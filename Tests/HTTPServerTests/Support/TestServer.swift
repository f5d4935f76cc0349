import Foundation
import HTTPServer
import Logging

/// A server on a free loopback port with the routes a test gives it; logs are captured.
struct TestServer {
    let server: HTTPServer
    let port: Int
    let logs: CapturedLogs

    static func start(
        configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        observer: (any HTTPServerObserver)? = nil,
        routes: (inout Router) -> Void
    ) async throws -> TestServer {
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        var router = Router()
        routes(&router)
        let logs = CapturedLogs()
        var logger = Logger(label: "http-test") { _ in CapturingLogHandler(logs: logs) }
        logger.logLevel = .debug
        let server = HTTPServer(configuration: configuration, router: router, logger: logger, observer: observer)
        let port = try await server.start()
        return TestServer(server: server, port: port, logs: logs)
    }

    func connect() async throws -> RawConnection {
        try await RawConnection(port: port)
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
}

/// Log records kept for assertions.
final class CapturedLogs: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
        /// Message and metadata as one string, for "never appears anywhere" checks.
        var everything: String { message + " " + metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
    }

    private let records = Mutex<[Record]>([])

    func append(_ record: Record) { records.withLock { $0.append(record) } }
    var all: [Record] { records.withLock { $0 } }
}

/// A tiny lock for test state (the package's own `Locked` is internal).
final class Mutex<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched while `lock` is held.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

struct CapturingLogHandler: LogHandler {
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var flat: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { flat[key] = "\(value)" }
        logs.append(.init(level: event.level, message: "\(event.message)", metadata: flat))
    }
}

/// Polls `condition` until it holds or `timeout` passes; for waiting on the server without sleeps.
func eventually(timeout: Duration = .seconds(5), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
