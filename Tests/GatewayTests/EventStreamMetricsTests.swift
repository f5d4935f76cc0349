import Foundation
import Gateway
import IMAPClient
import Testing
import TestSupport

/// Event streams open their IMAP session through the pool's opener, so their commands are
/// counted like every other: the login, ENABLE/EXAMINE and IDLE show in /metrics.
@Suite("Event stream metrics", .serialized)
struct EventStreamMetricsTests {
    @Test func aStreamsLoginExamineAndIdleAreCounted() async throws {
        let harness = try await GatewayHarness.start()
        do {
            let folder = uniqueName("Events Metrics")
            let imap = try await harness.imap()
            try await imap.create(MailboxName(folder))
            await imap.logout()
            let before = try Exposition(await harness.request("/metrics", user: nil).text)
            let client = try await SSEClient.open(port: harness.port, Paths.folder(folder) + "/events")
            _ = try await client.next("ready")
            // IDLE is counted when it ends: a new message ends the round (to fetch its UID).
            let other = try await harness.imap()
            _ = try await other.append(to: MailboxName(folder), message: TestMessages.simple(subject: "wake"))
            await other.logout()
            _ = try await client.next("new")
            client.close()
            var after = try Exposition(await harness.request("/metrics", user: nil).text)
            #expect(await eventually {
                after = (try? Exposition(await harness.request("/metrics", user: nil).text)) ?? after
                return after.delta(#"imap_commands_total{command="IDLE",result="ok"}"#, since: before) >= 1
            })
            #expect(after.delta(#"imap_commands_total{command="AUTHENTICATE",result="ok"}"#, since: before) >= 1)
            #expect(after.delta(#"imap_commands_total{command="EXAMINE",result="ok"}"#, since: before) >= 1)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

extension Exposition {
    /// How much `series` grew since `earlier` (a series not yet there counts as 0).
    func delta(_ series: String, since earlier: Exposition) -> Double {
        (self[series] ?? 0) - (earlier[series] ?? 0)
    }
}
