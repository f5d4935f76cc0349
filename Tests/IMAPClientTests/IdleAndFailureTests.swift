import Foundation
import Testing
import TestSupport
@testable import IMAPClient

/// Records events from IDLE callbacks (which may run on any thread).
final class EventLog: @unchecked Sendable {
    // @unchecked: `events` is only touched under `lock`.
    private let lock = NSLock()
    private var events: [UntaggedResponse] = []
    func add(_ event: UntaggedResponse) { lock.withLock { events.append(event) } }
    var all: [UntaggedResponse] { lock.withLock { events } }
}

@Suite("IDLE and failures against Dovecot")
struct IdleAndFailureTests {
    @Test("IDLE reports a new message; cancelling ends IDLE with DONE and the session stays usable")
    func idle() async throws {
        let (connection, folder, _) = try await TestServer.folderWithMessages(["a"])
        let events = EventLog()
        let idling = Task {
            try await connection.idle(until: .now + .seconds(60)) { events.add($0) }
        }
        let other = try await TestServer.session()
        // Whether IDLE is already running or starts after this, Dovecot reports the new message.
        _ = try await other.append(to: folder, message: TestServer.message(subject: "b"))
        let seen = await eventually(timeout: .seconds(30)) {
            events.all.contains { if case .exists(2) = $0 { true } else { false } }
        }
        #expect(seen, "IDLE should report EXISTS 2, got \(events.all)")
        idling.cancel()
        try await idling.value
        #expect(connection.isUsable)
        #expect(connection.selected?.exists == 2)
        try await connection.noop()
        await other.logout()
        await connection.logout()
    }

    @Test("IDLE ends by itself at its deadline")
    func idleDeadline() async throws {
        let connection = try await TestServer.session()
        _ = try await connection.select(.inbox, readOnly: true)
        let start = ContinuousClock.now
        try await connection.idle(until: .now + .milliseconds(500)) { _ in }
        #expect(ContinuousClock.now - start >= .milliseconds(500))
        try await connection.noop()
        await connection.logout()
    }

    @Test("a server killed mid-command gives a clear error and an unusable connection")
    func serverKilled() async throws {
        try await withDovecot(tls: false) { dovecot in
            let configuration = IMAPServerConfiguration(host: dovecot.host, port: dovecot.port, tlsMode: .none)
            let connection = try await IMAPConnection.connect(configuration, logger: TestServer.quietLogger)
            try await connection.authenticate(.password(user: DovecotUser.alice.name, password: DovecotUser.alice.password))
            _ = try await connection.select(.inbox, readOnly: true)
            let idling = Task { try await connection.idle(until: .now + .seconds(60)) { _ in } }
            // Killed before or during IDLE: either way the command must fail, not hang.
            try await TestServer.offPool { dovecot.kill() }
            do {
                try await idling.value
                Issue.record("IDLE survived the server being killed")
            } catch let error as IMAPError {
                switch error {
                case .connection, .bye, .disconnected: break
                default: Issue.record("unexpected error \(error)")
                }
                #expect(!error.description.isEmpty)
            }
            #expect(!connection.isUsable)
            do {
                try await connection.noop()
                Issue.record("NOOP on a dead connection succeeded")
            } catch let error as IMAPError {
                switch error {
                case .disconnected, .bye: break
                default: Issue.record("expected disconnected, got \(error)")
                }
            }
        }
    }
}
