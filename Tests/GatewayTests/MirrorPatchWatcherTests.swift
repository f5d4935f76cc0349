import Foundation
import Gateway
import IMAP
import IMAPClient
import Testing
import TestSupport

/// A PATCH of a watched folder's message against Dovecot: with QRESYNC the STORE's answer
/// (flags and MODSEQ) goes into the mirror and the watcher is not woken to sync, so the PATCH
/// costs its STORE alone and the reads after it still send nothing; the watcher hears the same
/// change in IDLE. Without QRESYNC (CONDSTORE only) the watcher syncs after the write as before.
@Suite("PATCH of a watched folder against Dovecot", .serialized)
struct MirrorPatchWatcherTests {
    @Test("a PATCH of a watched folder is read back at once; with QRESYNC it sends only its STORE and the watcher stays in IDLE",
          arguments: [(name: "QRESYNC", ignored: [String]()), (name: "CONDSTORE only", ignored: ["QRESYNC"])])
    func patchWhileWatched(mode: (name: String, ignored: [String])) async throws {
        try await withHarness(configure: MirrorIdleApplyTests.configure(ignoring: mode.ignored)) { harness in
            let folder = try await MirrorWatcherTests.makeFolder(harness, "Patch Watched", messages: 3)
            #expect(try await MirrorWatcherTests.gatewayRows(harness, folder).count == 3)
            #expect(await MirrorWatcherTests.watching(harness), "the folder's watcher is in IDLE")
            // A first PATCH selects the folder read-write on a pooled session; the one measured reuses it.
            let first = try await MirrorWriteTests.patch(harness, folder, uid: 1, ["add": ["\\Seen"]])
            #expect(first.status == 200, "\(first.text)")
            #expect(await MirrorWatcherTests.watching(harness))
            if mode.ignored.isEmpty {
                // The watcher's IDLE report of the first PATCH, so that it does not count below.
                #expect(try await eventually(timeout: .seconds(10)) { try await MirrorIdleApplyTests.figures(harness).idle >= 1 })
            }

            let before = try await MirrorIdleApplyTests.figures(harness)
            let patch = try await MirrorWriteTests.patch(harness, folder, uid: 2, ["add": ["\\Flagged"]])
            #expect(patch.status == 200, "\(patch.text)")
            let rows = try await MirrorWatcherTests.gatewayRows(harness, folder)
            #expect(rows[2] == ["\\Flagged"] && rows[1] == ["\\Seen"] && rows[3] == [], "the page right after shows the PATCH: \(rows)")

            if mode.ignored.isEmpty {
                // The watcher hears the write's FETCH in IDLE and applies it without a command.
                #expect(try await eventually(timeout: .seconds(10)) { try await MirrorIdleApplyTests.figures(harness).idle == before.idle + 1 })
                #expect(await MirrorWatcherTests.watching(harness), "the watcher stayed in IDLE")
                let later = try await MirrorWatcherTests.gatewayRows(harness, folder)
                #expect(later[2] == ["\\Flagged"], "\(later)")
                let after = try await MirrorIdleApplyTests.figures(harness)
                #expect(after.commands == before.commands + 1, "the STORE alone: \(after.commands - before.commands) commands")
                #expect(after.watcher == before.watcher, "no watcher sync")
            } else {
                #expect(try await eventually(timeout: .seconds(10)) { try await MirrorIdleApplyTests.figures(harness).watcher > before.watcher },
                        "without QRESYNC the watcher syncs after the write")
                #expect(await MirrorWatcherTests.watching(harness))
                let after = try await MirrorIdleApplyTests.figures(harness)
                #expect(after.commands >= before.commands + 2, "the STORE and the watcher's sync: \(after.commands - before.commands) commands")
                #expect(try await MirrorWatcherTests.gatewayRows(harness, folder)[2] == ["\\Flagged"])
            }
        }
    }
}
