@testable import Gateway
import IMAP
import Logging
import Testing
import TestSupport

/// One connection budget per account, shared by the pool, event streams and mirror watchers.
@Suite("Account connection budget")
struct AccountBudgetTests {
    @Test func slotsUpToTheLimitPerAccountCaseInsensitiveThenNone() {
        let budget = AccountBudget(perAccount: 2)
        let first = budget.tryAcquire("alice@example.org", for: .pool)
        let second = budget.tryAcquire("Alice@Example.org", for: .events)
        #expect(first != nil && second != nil)
        #expect(budget.tryAcquire("ALICE@example.org", for: .watcher) == nil, "one mailbox, whatever the case of its name")
        #expect(budget.tryAcquire("bob@example.org", for: .watcher) != nil, "another account has a budget of its own")
        #expect(budget.inUse(by: "alice@example.org") == [.pool: 1, .events: 1])
        first?.release()
        first?.release()
        #expect(budget.inUse(by: "alice@example.org") == [.events: 1], "a second release gives nothing back twice")
        #expect(budget.tryAcquire("alice@example.org", for: .watcher) != nil)
    }

    @Test func aDroppedSlotIsGivenBack() {
        let budget = AccountBudget(perAccount: 1)
        do {
            let slot = budget.tryAcquire("alice", for: .watcher)
            #expect(slot != nil)
            #expect(budget.tryAcquire("alice", for: .pool) == nil)
        }
        #expect(budget.inUse(by: "alice").isEmpty)
        #expect(budget.tryAcquire("alice", for: .pool) != nil)
    }

    @Test func aWaiterGetsTheNextReleasedSlotAndTheDeadlineAnswersWhatHoldsThem() async throws {
        let budget = AccountBudget(perAccount: 1, retryAfter: .seconds(7))
        let held = try #require(budget.tryAcquire("alice", for: .events))
        let waiter = Task { try await budget.acquire("alice", for: .watcher, waitingUpTo: .seconds(20)) }
        held.release()
        let slot = try await waiter.value
        #expect(slot.purpose == .watcher)
        #expect(budget.inUse(by: "alice") == [.watcher: 1])

        do {
            _ = try await budget.acquire("alice", for: .events, waitingUpTo: .milliseconds(100))
            Issue.record("a full budget must not grant a slot")
        } catch let error as ConnectionBudgetExhausted {
            #expect(error.limit == 1)
            #expect(error.holders == [.watcher: 1])
            #expect(error.retryAfter == .seconds(7))
            #expect(!error.description.contains("alice"), "no user name in what may reach logs")
        }
        slot.release()
        #expect(budget.inUse(by: "alice").isEmpty)
    }

    // MARK: - With the pool

    private func pool(budget: AccountBudget, perAccount: Int = 3) -> SessionPool<FakeConnection> {
        var configuration = PoolConfiguration()
        configuration.perAccount = perAccount
        configuration.global = 10
        configuration.acquireTimeout = .seconds(5)
        return SessionPool(configuration: configuration, budget: budget, logger: Logger(label: "budget-test"))
    }

    private let alice = Account(user: "alice", password: "a").key

    @Test func thePoolAnswersAtOnceWhenOtherHoldersTakeTheWholeBudgetAndOpensNothing() async throws {
        let budget = AccountBudget(perAccount: 2)
        let pool = pool(budget: budget)
        let opener = FakeOpener()
        let streams = [budget.tryAcquire("alice", for: .events), budget.tryAcquire("alice", for: .watcher)]
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: ConnectionBudgetExhausted.self) {
            _ = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        }
        #expect(clock.now - started < .seconds(4), "no wait for connections held for hours")
        #expect(opener.all.isEmpty)
        streams[0]?.release()
        let lease = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        #expect(budget.inUse(by: "alice") == [.pool: 1, .watcher: 1])
        await pool.discard(lease)
        #expect(await eventually(timeout: .seconds(5)) { budget.inUse(by: "alice") == [.watcher: 1] },
                "a discarded session gives its slot back once logged out")
        await pool.shutdown()
    }

    @Test func aRequestWaitsForTheAccountsBusySessionWhenTheBudgetIsFull() async throws {
        let budget = AccountBudget(perAccount: 2)
        let pool = pool(budget: budget)
        let opener = FakeOpener()
        let stream = budget.tryAcquire("alice", for: .events)
        let busy = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        let waiting = Task { try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() } }
        #expect(await eventually(timeout: .seconds(5)) { await pool.counts.waiting == 1 })
        await pool.release(busy, selection: nil)
        let lease = try await waiting.value
        #expect(lease.connection === busy.connection)
        #expect(opener.all.count == 1)
        await pool.release(lease, selection: nil)
        _ = stream
        await pool.shutdown()
    }

    @Test func anotherHolderWaitingMakesThePoolLogOutAnIdleSession() async throws {
        let budget = AccountBudget(perAccount: 2)
        let pool = pool(budget: budget)
        let opener = FakeOpener()
        let first = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        let second = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        await pool.release(first, selection: nil)
        await pool.release(second, selection: nil)
        let slot = try await budget.acquire("alice", for: .watcher, waitingUpTo: .seconds(5))
        #expect(opener.all.filter { $0.shutDowns == 1 }.count == 1, "one idle session made room")
        #expect(budget.inUse(by: "alice") == [.pool: 1, .watcher: 1])
        #expect(await pool.counts.open == 1)
        slot.release()
        await pool.shutdown()
        #expect(budget.inUse(by: "alice").isEmpty)
    }

    @Test func aNewPasswordTakesTheBudgetSlotOfTheSameUsersIdleSessionUnderTheOldOne() async throws {
        let budget = AccountBudget(perAccount: 1)
        let pool = pool(budget: budget)
        let opener = FakeOpener()
        let old = try await pool.acquire(alice, preferring: nil, access: .read) { opener.open() }
        await pool.release(old, selection: nil)
        let renewed = Account(user: "alice", password: "new").key
        let lease = try await pool.acquire(renewed, preferring: nil, access: .read) { opener.open() }
        #expect(lease.isFresh)
        #expect(await eventually(timeout: .seconds(5)) { old.connection.shutDowns == 1 })
        #expect(budget.inUse(by: "alice") == [.pool: 1])
        await pool.release(lease, selection: nil)
        await pool.shutdown()
    }
}
