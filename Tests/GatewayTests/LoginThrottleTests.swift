import Foundation
@testable import Gateway
import Testing
import TestSupport

/// Issue 13: failed logins slow down the (address, user) pair that failed, and never lock anyone out.
@Suite("Login throttle", .serialized)
struct LoginThrottleTests {
    @Test("failures count per (address, user): other pairs are untouched, the penalty doubles up to its cap")
    func pairs() {
        let throttle = LoginThrottle(limit: 3, window: .seconds(60), baseDelay: .seconds(1), maxDelay: .seconds(4))
        for _ in 0..<3 { throttle.recordFailure(client: "198.51.100.7", user: "bob") }
        #expect(throttle.penalty(client: "198.51.100.7", user: "bob") == .seconds(1))
        #expect(throttle.penalty(client: "203.0.113.1", user: "bob") == .zero)
        #expect(throttle.penalty(client: "198.51.100.7", user: "alice") == .zero)
        throttle.recordFailure(client: "198.51.100.7", user: "bob")
        #expect(throttle.penalty(client: "198.51.100.7", user: "bob") == .seconds(2))
        for _ in 0..<5 { throttle.recordFailure(client: "198.51.100.7", user: "bob") }
        #expect(throttle.penalty(client: "198.51.100.7", user: "bob") == .seconds(4))
        // Logins that name a user are never refused outright...
        #expect(throttle.retryAfter(client: "198.51.100.7", user: "bob") == nil)
        // ...and a success clears only its own pair.
        throttle.recordSuccess(client: "198.51.100.7", user: "bob")
        #expect(throttle.penalty(client: "198.51.100.7", user: "bob") == .zero)
    }

    @Test("API-key guessing (no user) is refused per address only")
    func apiKeys() {
        let throttle = LoginThrottle(limit: 2, window: .seconds(60))
        throttle.recordFailure(client: "198.51.100.7", user: nil)
        #expect(throttle.retryAfter(client: "198.51.100.7", user: nil) == nil)
        throttle.recordFailure(client: "198.51.100.7", user: nil)
        #expect(throttle.retryAfter(client: "198.51.100.7", user: nil) != nil)
        #expect(throttle.retryAfter(client: "203.0.113.1", user: nil) == nil)
    }

    @Test("past the limit a wrong password is a slower 401 and the right one still gets through")
    func slowedNotLockedOut() async throws {
        let harness = try await GatewayHarness.start { $0.authFailureLimit = 1 }
        do {
            let intruder = DovecotUser(name: "bob", password: "guess")
            #expect(try await RawHTTP.request(port: harness.port, "/folders", user: intruder).status == 401)
            let start = ContinuousClock.now
            #expect(try await RawHTTP.request(port: harness.port, "/folders", user: intruder).status == 401)
            #expect(ContinuousClock.now - start >= .seconds(1))
            #expect(try await RawHTTP.request(port: harness.port, "/folders", user: .bob).status == 200)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
