import Foundation
import Gateway
import IMAP
import IMAPClient
import Testing
import TestSupport

/// A watched folder's flag changes applied in IDLE, against Dovecot: with QRESYNC enabled the
/// server's FETCH (UID, FLAGS, MODSEQ) says all a sync would learn, so the watcher applies it
/// without leaving IDLE and sends no IMAP command; reads and event streams see it all the same.
/// Without QRESYNC (CONDSTORE only) the watcher syncs as before.
@Suite("Flag changes applied in IDLE against Dovecot", .serialized)
struct MirrorIdleApplyTests {
    static func configure(ignoring: [String]) -> (inout GatewayConfiguration) -> Void {
        { configuration in
            configuration.mirrorEnabled = true
            configuration.imap.ignoredCapabilities = ignoring
        }
    }

    @Test("another client's flag change reaches a watched folder's pages and event stream; with QRESYNC the watcher sends no IMAP command for it",
          arguments: [(name: "QRESYNC", ignored: [String]()), (name: "CONDSTORE only", ignored: ["QRESYNC"])])
    func flagChangeAppliedInIdle(mode: (name: String, ignored: [String])) async throws {
        try await withHarness(configure: Self.configure(ignoring: mode.ignored)) { harness in
            let folder = try await MirrorWatcherTests.makeFolder(harness, "Idle Apply", messages: 3)
            let path = MirrorWatcherTests.path(folder)
            // A pooled read fills the mirror and starts the watcher.
            #expect(try await MirrorWatcherTests.gatewayRows(harness, folder).count == 3)
            #expect(await MirrorWatcherTests.watching(harness), "the folder's watcher is in IDLE")
            let stream = try await SSEClient.open(port: harness.port, path + "/events")
            defer { stream.close() }
            #expect(stream.status == 200)
            _ = try await stream.next("ready")

            let before = try await Self.figures(harness)
            let writer = try await harness.imap()
            _ = try await writer.select(MailboxName(folder), readOnly: false)
            try await writer.uidStore(UIDSet([UID(2)]), .add([.flagged]), silent: true)
            await writer.logout()

            let flags = try await stream.next("flags", timeout: .seconds(10))
            #expect(flags["uid"] as? Int == 2)
            #expect((flags["flags"] as? [String])?.contains("\\Flagged") == true, "\(flags)")
            var rows: [UInt32: Set<String>] = [:]
            let caughtUp = try await eventually(timeout: .seconds(10)) {
                rows = try await MirrorWatcherTests.gatewayRows(harness, folder)
                return rows[2]?.contains("\\Flagged") == true
            }
            #expect(caughtUp, "the page shows the flag: \(rows)")
            #expect(rows[1] == [] && rows[3] == [], "\(rows)")
            #expect(await MirrorWatcherTests.watching(harness))
            // A list page, not GET /folders/{f}: that one SELECTs read-write, which counts as a write.
            let folderState = try await harness.request(path + "/messages?limit=1").json()["state"] as? String
            #expect(folderState != nil && stream.lastEventID == folderState, "the flags event's id is the folder's state now")

            let after = try await Self.figures(harness)
            if mode.ignored.isEmpty {
                #expect(after.idle == before.idle + 1, "applied in IDLE")
                #expect(after.watcher == before.watcher, "no watcher sync")
                #expect(after.commands == before.commands, "no IMAP command: the watcher stayed in IDLE, the reads came from the mirror")
            } else {
                #expect(after.idle == before.idle, "without QRESYNC nothing is applied in IDLE")
                #expect(after.watcher > before.watcher, "the watcher synced")
                #expect(after.commands > before.commands)
            }
        }
    }

    /// Applied-in-IDLE updates, watcher syncs and IMAP commands the gateway sent so far.
    static func figures(_ harness: GatewayHarness) async throws -> (idle: Double, watcher: Double, commands: Double) {
        let scrape = try Exposition(try await harness.request("/metrics", user: nil).text)
        let commands = scrape.samples.filter { $0.key.hasPrefix("imap_commands_total{") }.values.reduce(0, +)
        return (scrape["mirror_syncs_total{kind=\"idle\"}"] ?? -1, scrape["mirror_syncs_total{kind=\"watcher\"}"] ?? -1, commands)
    }
}
