import Foundation
import Logging
import Testing
import TestSupport
@testable import IMAPClient

/// One Dovecot shared by the suites (started on first use, stopped at process exit), and the
/// connections, folders and messages the tests make on it. Tests that kill or restart a server
/// use a Dovecot of their own (`withDovecot`). Not to be confused with HTTPServerTests'
/// `TestServer`, which runs an in-process HTTP server with a test's routes: the two share only
/// the name; what they do share (waiting on a condition, capturing logs, blocking work off the
/// cooperative pool) lives in TestSupport.
enum TestServer {
    private static let shared: Result<Dovecot, any Error> = Result { try Dovecot.start() }

    /// The shared Dovecot; fails the test loudly when it cannot start.
    static func dovecot() async throws -> Dovecot { try await offPool { try shared.get() } }

    /// Runs blocking work (starting or killing Dovecot polls with sleeps) on a Dispatch thread, so
    /// it cannot starve the two-thread cooperative pool the client's tasks run on.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await offCooperativePool(work)
    }

    static func configuration(
        _ dovecot: Dovecot, tls: IMAPTLSMode = .none, ignoring: Set<Capability> = [],
        tlsConfiguration: TLSClientConfiguration? = nil
    ) -> IMAPServerConfiguration {
        let port = tls == .implicit ? (dovecot.tlsPort ?? dovecot.port) : dovecot.port
        var configuration = IMAPServerConfiguration(
            host: dovecot.host, port: port, tlsMode: tls,
            tls: tlsConfiguration ?? TLSClientConfiguration(caFile: dovecot.caFile),
            connectTimeout: .seconds(10), commandTimeout: .seconds(20), greetingTimeout: .seconds(10))
        configuration.ignoredCapabilities = ignoring
        return configuration
    }

    /// A connection logged in as `user` (alice by default: her password has a space, a quote and a backslash).
    static func session(
        user: DovecotUser = .alice, tls: IMAPTLSMode = .none, ignoring: Set<Capability> = [], logger: Logger = quietLogger
    ) async throws -> IMAPConnection {
        let dovecot = try await dovecot()
        let connection = try await IMAPConnection.connect(configuration(dovecot, tls: tls, ignoring: ignoring), logger: logger)
        try await connection.authenticate(.password(user: user.name, password: user.password))
        return connection
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "imap-client-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A folder name no other test uses.
    static func uniqueFolder(_ prefix: String = "t") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8))"
    }

    /// A small RFC 5322 message.
    static func message(subject: String, body: String = "Hello there.", from: String = "ann@example.com") -> [UInt8] {
        Array("""
            From: Ann Example <\(from)>\r
            To: Bob <bob@example.com>\r
            Subject: \(subject)\r
            Date: Wed, 14 Jan 2015 21:10:00 +0000\r
            Message-ID: <\(UUID().uuidString)@example.com>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            \(body)\r

            """.utf8)
    }

    /// Delivers messages to a new folder of alice and selects it; returns the session, the folder and the UIDs.
    static func folderWithMessages(
        _ subjects: [String], flags: MessageFlags = [], ignoring: Set<Capability> = [], readOnly: Bool = false
    ) async throws -> (IMAPConnection, MailboxName, [UID]) {
        let dovecot = try await dovecot()
        let folder = uniqueFolder()
        let messages = subjects.map { message(subject: $0) }
        try await offPool { try dovecot.deliver(user: DovecotUser.alice.name, folder: folder, messages: messages, flags: flags) }
        let connection = try await session(ignoring: ignoring)
        let name = MailboxName(folder)
        let selected = try await connection.select(name, readOnly: readOnly)
        #expect(selected.exists == subjects.count)
        let uids = try await connection.uidSearch(.all)
        #expect(uids.count == subjects.count)
        return (connection, name, uids)
    }
}
