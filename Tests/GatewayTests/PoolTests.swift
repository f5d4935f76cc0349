import Foundation
@testable import Gateway
import IMAP
import Logging
import Testing
import TestSupport

/// A connection that only counts what the pool does to it.
final class FakeConnection: PooledConnection, @unchecked Sendable {
    // @unchecked: the counter is only touched under `lock`.
    private let lock = NSLock()
    private var _shutDowns = 0
    let number: Int

    init(number: Int) { self.number = number }

    var shutDowns: Int { lock.withLock { _shutDowns } }
    func shutDown() async { lock.withLock { _shutDowns += 1 } }
}

/// Hands out numbered fake connections and remembers them.
final class FakeOpener: @unchecked Sendable {
    // @unchecked: `opened` is only touched under `lock`.
    private let lock = NSLock()
    private var opened: [FakeConnection] = []

    var all: [FakeConnection] { lock.withLock { opened } }

    func open() -> FakeConnection {
        lock.withLock {
            let connection = FakeConnection(number: opened.count + 1)
            opened.append(connection)
            return connection
        }
    }
}

@Suite("Session pool bookkeeping")
struct PoolTests {
    let alice = Account(user: "alice", password: "a").key
    let bob = Account(user: "bob", password: "b").key

    func pool(perAccount: Int = 2, global: Int = 3, acquire: Duration = .seconds(2), idle: Duration = .seconds(300)) -> SessionPool<FakeConnection> {
        var configuration = PoolConfiguration()
        configuration.perAccount = perAccount
        configuration.global = global
        configuration.acquireTimeout = acquire
        configuration.idleTimeout = idle
        return SessionPool(configuration: configuration, logger: Logger(label: "pool-test"))
    }

    @Test func reusesAReleasedSessionAndPrefersTheSelectedFolder() async throws {
        let pool = pool()
        let opener = FakeOpener()
        let first = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        let second = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        await pool.release(first, selection: FolderSelection(folder: MailboxName("Archive"), readOnly: true))
        await pool.release(second, selection: FolderSelection(folder: MailboxName("INBOX"), readOnly: true))
        let again = try await pool.acquire(alice, preferring: MailboxName("Archive"), access: .read) { opener.open() }
        #expect(again.connection === first.connection)
        #expect(again.selection?.folder == MailboxName("Archive"))
        // A write needs SELECT: an EXAMINEd session is no better than any other.
        #expect(again.selection?.serves(MailboxName("Archive"), access: .write) == false)
        #expect(opener.all.count == 2)
    }

    @Test func alternatingFoldersGetASessionEachWhileTheCapAllows() async throws {
        let pool = pool(perAccount: 2, global: 3)
        let opener = FakeOpener()
        let archive = MailboxName("Archive"), inbox = MailboxName("INBOX")
        let first = try await pool.acquire(alice, preferring: archive, access: .read) { opener.open() }
        await pool.release(first, selection: FolderSelection(folder: archive, readOnly: true))
        // The idle session has another folder selected: a second session rather than a switch.
        let second = try await pool.acquire(alice, preferring: inbox, access: .read) { opener.open() }
        #expect(second.isFresh)
        await pool.release(second, selection: FolderSelection(folder: inbox, readOnly: true))
        for _ in 0..<3 {
            for (folder, expected) in [(archive, first), (inbox, second)] {
                let lease = try await pool.acquire(alice, preferring: folder, access: .read) { opener.open() }
                #expect(lease.connection === expected.connection)
                #expect(lease.selection?.folder == folder)
                await pool.release(lease, selection: FolderSelection(folder: folder, readOnly: true))
            }
        }
        #expect(opener.all.count == 2)
    }

    @Test func atTheAccountCapAnIdleSessionSwitchesFolders() async throws {
        let pool = pool(perAccount: 1, global: 3)
        let opener = FakeOpener()
        let first = try await pool.acquire(alice, preferring: MailboxName("Archive"), access: .read) { opener.open() }
        await pool.release(first, selection: FolderSelection(folder: MailboxName("Archive"), readOnly: true))
        let again = try await pool.acquire(alice, preferring: MailboxName("INBOX"), access: .read) { opener.open() }
        #expect(again.connection === first.connection)
        #expect(!again.isFresh)
        #expect(opener.all.count == 1)
    }

    @Test func aFolderMissNeverEvictsAnotherAccountsSession() async throws {
        let pool = pool(perAccount: 2, global: 2)
        let opener = FakeOpener()
        let bobs = try await pool.acquire(bob, preferring: nil, access: .read) { opener.open() }
        await pool.release(bobs, selection: nil)
        let alices = try await pool.acquire(alice, preferring: MailboxName("Archive"), access: .read) { opener.open() }
        await pool.release(alices, selection: FolderSelection(folder: MailboxName("Archive"), readOnly: true))
        // Global cap reached: switching alice's idle session beats logging bob out.
        let again = try await pool.acquire(alice, preferring: MailboxName("INBOX"), access: .read) { opener.open() }
        #expect(again.connection === alices.connection)
        #expect(bobs.connection.shutDowns == 0)
    }

    @Test func aRequestWithoutFolderTakesAnyIdleSession() async throws {
        let pool = pool(perAccount: 2, global: 3)
        let opener = FakeOpener()
        let first = try await pool.acquire(alice, preferring: MailboxName("Archive"), access: .read) { opener.open() }
        await pool.release(first, selection: FolderSelection(folder: MailboxName("Archive"), readOnly: true))
        let listing = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        #expect(listing.connection === first.connection)
        #expect(opener.all.count == 1)
    }

    @Test func aWrongSecretNeverGetsAnotherSecretsSession() async throws {
        let pool = pool()
        let opener = FakeOpener()
        let right = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        await pool.release(right, selection: nil)
        let wrong = Account(user: "alice", password: "guess").key
        let other = try await pool.acquire(wrong, preferring: nil, access: .read) { opener.open() }
        #expect(other.connection !== right.connection)
        #expect(other.isFresh)
    }

    @Test func aWaiterTimesOut() async throws {
        let pool = pool(perAccount: 1, acquire: .milliseconds(300))
        let opener = FakeOpener()
        let held = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        await #expect(throws: PoolError.self) {
            _ = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        }
        #expect(await pool.counts.waiting == 0)
        await pool.release(held, selection: nil)
    }

    @Test func waitersAreServedInOrder() async throws {
        // A long deadline: on a loaded machine the waiters must not time out before the release.
        let pool = pool(perAccount: 1, acquire: .seconds(120))
        let opener = FakeOpener()
        let held = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        let order = Recorder()
        let first = Task {
            let lease = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
            order.append(1)
            await pool.release(lease, selection: nil)
        }
        #expect(await eventually { await pool.counts.waiting == 1 })
        let second = Task {
            let lease = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
            order.append(2)
            await pool.release(lease, selection: nil)
        }
        #expect(await eventually { await pool.counts.waiting == 2 })
        await pool.release(held, selection: nil)
        try await first.value
        try await second.value
        #expect(order.values == [1, 2])
        #expect(opener.all.count == 1)
    }

    @Test func theGlobalCapEvictsAnIdleSessionOfAnotherAccount() async throws {
        let pool = pool(perAccount: 2, global: 2)
        let opener = FakeOpener()
        let a1 = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        let a2 = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        await pool.release(a1, selection: nil)
        let b1 = try await pool.acquire(bob, preferring: nil, access: .read) { opener.open() }
        #expect(b1.isFresh)
        #expect(await eventually { a1.connection.shutDowns == 1 })
        #expect(await pool.counts.open == 2)
        _ = a2
    }

    @Test func discardedSessionsAreReplacedAndIdleOnesLoggedOut() async throws {
        let pool = pool(idle: .milliseconds(200))
        let opener = FakeOpener()
        let lease = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        await pool.discard(lease)
        let fresh = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        #expect(fresh.connection !== lease.connection)
        await pool.release(fresh, selection: nil)
        #expect(await eventually { fresh.connection.shutDowns == 1 })
        #expect(await pool.counts.open == 0)
    }

    @Test func shutdownLogsOutEverySessionAndFailsWaiters() async throws {
        let pool = pool(perAccount: 1)
        let opener = FakeOpener()
        let idle = try await pool.acquire(bob, preferring: nil, access: .read) { opener.open() }
        await pool.release(idle, selection: nil)
        let busy = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        let waiter = Task { try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() } }
        #expect(await eventually { await pool.counts.waiting == 1 })
        await pool.shutdown()
        await #expect(throws: PoolError.self) { _ = try await waiter.value }
        #expect(idle.connection.shutDowns == 1)
        await pool.release(busy, selection: nil)
        #expect(await eventually { busy.connection.shutDowns == 1 })
    }

    @Test func countsForMetrics() async throws {
        let pool = pool()
        let opener = FakeOpener()
        let lease = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        #expect(await pool.counts == PoolCounts(open: 1, busy: 1, waiting: 0))
        await pool.release(lease, selection: nil)
        #expect(await pool.counts == PoolCounts(open: 1, busy: 0, waiting: 0))
    }
}

/// Collects values from several tasks.
final class Recorder: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: [Int] = []
    func append(_ value: Int) { lock.withLock { stored.append(value) } }
    var values: [Int] { lock.withLock { stored } }
}
