import Foundation
import Gateway
import IMAPClient
import Testing
import TestSupport

/// `GET /folders/{folder}/events` against a real Dovecot: changes made by another IMAP
/// connection must arrive as events on the stream.
@Suite("Event streams", .serialized)
struct EventStreamTests {
    /// A folder holding `count` messages, made over IMAP; returns its name and UIDVALIDITY.
    private func makeFolder(_ harness: GatewayHarness, prefix: String, messages count: Int) async throws -> (name: String, uidValidity: UInt32) {
        let name = uniqueName(prefix)
        let imap = try await harness.imap()
        try await imap.create(MailboxName(name))
        for index in 0..<count {
            _ = try await imap.append(to: MailboxName(name), message: TestMessages.simple(subject: "m\(index)"))
        }
        let status = try await imap.status(MailboxName(name))
        await imap.logout()
        return (name, try #require(status.uidValidity))
    }

    /// Flags `uid` \Deleted and expunges it from a session of its own.
    private func expungeElsewhere(_ harness: GatewayHarness, _ folder: String, uid: UInt32) async throws {
        let imap = try await harness.imap()
        _ = try await imap.select(MailboxName(folder), readOnly: false)
        try await imap.uidStore(UIDSet([UID(uid)]), .add([.deleted]), silent: true)
        try await imap.uidExpunge(UIDSet([UID(uid)]))
        await imap.logout()
    }

    private func openStream(_ harness: GatewayHarness, _ folder: String) async throws -> SSEClient {
        try await SSEClient.open(port: harness.port, Paths.folder(folder) + "/events")
    }

    @Test func readyThenNewForAnAppend() async throws {
        try await withHarness { harness in
            let folder = try await makeFolder(harness, prefix: "Events New", messages: 2)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            #expect(client.status == 200)
            #expect(client.headers["content-type"] == "text/event-stream")
            #expect(client.headers["cache-control"] == "no-cache")
            #expect(client.headers["x-accel-buffering"] == "no")

            let ready = try await client.next("ready")
            #expect(ready["folder"] as? String == folder.name)
            #expect(ready["exists"] as? Int == 2)
            #expect(ready["uidNext"] as? Int == 3)
            #expect((ready["uidValidity"] as? NSNumber)?.uint32Value == folder.uidValidity)
            let scrape = try await harness.request("/metrics", user: nil)
            #expect(try Exposition(scrape.text)["event_streams_open"] == 1)

            let imap = try await harness.imap()
            let appended = try #require(try await imap.append(to: MailboxName(folder.name), message: TestMessages.simple(subject: "new")))
            await imap.logout()
            let new = try await client.next("new")
            #expect(new["uids"] as? [Int] == [Int(appended.uid.rawValue)])
        }
    }

    @Test func flagChangeByAnotherConnection() async throws {
        try await withHarness { harness in
            let folder = try await makeFolder(harness, prefix: "Events Flags", messages: 2)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            _ = try await client.next("ready")

            let imap = try await harness.imap()
            _ = try await imap.select(MailboxName(folder.name), readOnly: false)
            try await imap.uidStore(UIDSet([UID(2)]), .add([.flagged]), silent: true)
            await imap.logout()
            let flags = try await client.next("flags")
            #expect(flags["uid"] as? Int == 2)
            // As the server has them: \Recent may come along (the message is new to this session).
            let names = try #require(flags["flags"] as? [String])
            #expect(names.contains("\\Flagged"))
            #expect(!names.contains("\\Seen"))
        }
    }

    @Test func expungeByAnotherConnection() async throws {
        try await withHarness { harness in
            let folder = try await makeFolder(harness, prefix: "Events Expunge", messages: 3)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            _ = try await client.next("ready")

            try await expungeElsewhere(harness, folder.name, uid: 2)
            let expunged = try await client.next("expunged")
            #expect(expunged["uids"] as? [Int] == [2])
        }
    }

    @Test func unknownFolderAndWrongCredentialsAnswerBeforeAnyStream() async throws {
        try await withHarness { harness in
            let missing = try await RawHTTP.request(port: harness.port, Paths.folder(uniqueName("Nowhere")) + "/events", user: .alice)
            #expect(missing.status == 404)
            #expect(missing.headers["content-type"] == "application/problem+json")
            #expect(try missing.json()["status"] as? Int == 404)

            let wrong = try await RawHTTP.request(port: harness.port, "/folders/INBOX/events",
                                                  user: DovecotUser(name: "alice", password: "not-it"))
            #expect(wrong.status == 401)
            #expect(wrong.headers["content-type"] == "application/problem+json")
            #expect(wrong.headers["www-authenticate"] != nil)
            #expect(await eventually(timeout: .seconds(10)) { harness.gateway.context.eventStreams.openCount == 0 })
        }
    }

    @Test func perAccountCapAnswers429AndFreesTheSlotWhenAStreamCloses() async throws {
        try await withHarness(configure: { configuration in
            // Streams with IMAP sessions of their own: with the mirror on, streams of a watched
            // folder share its watcher and the cap does not apply (MirrorWatcherTests).
            configuration.mirrorEnabled = false
            configuration.events.perAccount = 2
            configuration.events.heartbeat = .milliseconds(200)
        }) { harness in
            let folder = try await makeFolder(harness, prefix: "Events Cap", messages: 1)
            let first = try await openStream(harness, folder.name)
            defer { first.close() }
            let second = try await openStream(harness, folder.name)
            defer { second.close() }
            _ = try await first.next("ready")
            _ = try await second.next("ready")

            let refused = try await RawHTTP.request(port: harness.port, Paths.folder(folder.name) + "/events", user: .alice)
            #expect(refused.status == 429)
            #expect(refused.headers["content-type"] == "application/problem+json")
            #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)

            // Another account has slots of its own.
            let bob = try await SSEClient.open(port: harness.port, "/folders/INBOX/events", user: .bob)
            #expect(bob.status == 200)
            bob.close()

            first.close()
            // The gateway notices at its next heartbeat that the client went; then the slot is free.
            var reopened: SSEClient?
            let freed = try await eventually(timeout: .seconds(30)) {
                let attempt = try await SSEClient.open(port: harness.port, Paths.folder(folder.name) + "/events")
                if attempt.status == 200 {
                    reopened = attempt
                    return true
                }
                attempt.close()
                return false
            }
            #expect(freed)
            defer { reopened?.close() }
            if let reopened { _ = try await reopened.next("ready") }
        }
    }

    @Test func heartbeatsArrive() async throws {
        try await withHarness(configure: { $0.events.heartbeat = .milliseconds(200) }) { harness in
            let folder = try await makeFolder(harness, prefix: "Events Beat", messages: 0)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            _ = try await client.next("ready")
            var beats = 0
            while beats < 3 {
                let frame = try await client.nextFrame(timeout: .seconds(10))
                if frame == .comment("keep-alive") { beats += 1 }
                if frame == nil { break }
            }
            #expect(beats == 3)
        }
    }

    @Test func shutdownEndsAnOpenStreamPromptly() async throws {
        // The stop is what this test looks at, so it stops the gateway itself; withHarness's
        // own stop afterwards finds it stopped (stopping is idempotent).
        try await withHarness { harness in
            let folder = try await makeFolder(harness, prefix: "Events Stop", messages: 1)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            _ = try await client.next("ready")

            let started = ContinuousClock.now
            // Gateway.shutdown() ends event streams first, so they do not hold the grace period.
            await harness.stop()
            #expect(await client.waitForEnd(timeout: .seconds(5)))
            // Well inside the HTTP server's 10 s grace period.
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(harness.gateway.context.eventStreams.openCount == 0)
        }
    }

    @Test func manyNewMessagesComeInEventsOfAtMost500UIDs() async throws {
        try await withHarness { harness in
            let folder = try await makeFolder(harness, prefix: "Events Many", messages: 1)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            let ready = try await client.next("ready")
            let uidNext = try #require(ready["uidNext"] as? Int)

            // Straight into the maildir: 501 messages appear at once for the IDLE session.
            try harness.dovecot.deliver(user: "alice", folder: folder.name,
                                        messages: (0..<501).map { TestMessages.simple(subject: "bulk \($0)") })
            var seen: [Int] = []
            var events = 0
            while seen.count < 501 {
                let new = try await client.next("new", timeout: .seconds(60))
                let uids = try #require(new["uids"] as? [Int])
                #expect(!uids.isEmpty && uids.count <= 500)
                #expect(uids == uids.sorted())
                seen += uids
                events += 1
            }
            #expect(seen == Array(uidNext..<(uidNext + 501)))
            #expect(events >= 2)
        }
    }

    @Test func imapFailureMidStreamSendsAnErrorEventAndEnds() async throws {
        // A Dovecot of its own: this test stops it.
        try await withDovecot(tls: false) { dovecot in
            // A stream with its own IDLE session ends with the server; a watched stream (mirror on)
            // waits for the watcher to reconnect instead (MirrorWatcherTests).
            try await withHarness(dovecot: dovecot, configure: { $0.mirrorEnabled = false }) { harness in
                let client = try await openStream(harness, "INBOX")
                defer { client.close() }
                _ = try await client.next("ready")
                // The server vanishes: the IDLE session's socket ends.
                dovecot.kill()
                let problem = try await client.next("error", timeout: .seconds(30))
                #expect(problem["status"] as? Int == 502)
                #expect((problem["type"] as? String)?.hasSuffix("/imap-unavailable") == true)
                #expect(await client.waitForEnd(timeout: .seconds(10)))
                #expect(await eventually(timeout: .seconds(10)) { harness.gateway.context.eventStreams.openCount == 0 })
            }
        }
    }

    @Test func withoutQRESYNCAnExpungeReportsTheCount() async throws {
        // The own-session stream's fallback; a watched stream (mirror on) names the UIDs from its mirror.
        try await withHarness(configure: { $0.imap.ignoredCapabilities = ["QRESYNC"]; $0.mirrorEnabled = false }) { harness in
            let folder = try await makeFolder(harness, prefix: "Events NoQR", messages: 3)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            _ = try await client.next("ready")

            try await expungeElsewhere(harness, folder.name, uid: 1)
            let expunged = try await client.next("expunged")
            #expect(expunged["exists"] as? Int == 2)
            #expect(expunged["uids"] == nil)
        }
    }

    @Test(arguments: [true, false]) func aServerWithoutIDLEAnswers422(mirror: Bool) async throws {
        try await withHarness(configure: { $0.imap.ignoredCapabilities = ["IDLE"]; $0.mirrorEnabled = mirror }) { harness in
            let answer = try await RawHTTP.request(port: harness.port, "/folders/INBOX/events", user: .alice)
            #expect(answer.status == 422)
            #expect(try answer.json()["extension"] as? String == "IDLE")
            #expect(await eventually(timeout: .seconds(10)) { harness.gateway.context.eventStreams.openCount == 0 })
        }
    }

    @Test func aFolderNameWithIMAPSpecialsStreamsItsChanges() async throws {
        // `&` starts modified UTF-7, quotes and `%` must be quoted on the wire, `[` `]` and `+`
        // are special in URLs and in IMAP's response codes.
        try await withHarness { harness in
            let folder = try await makeFolder(harness, prefix: #"Odd & "q" [x] %y+z"#, messages: 1)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            let ready = try await client.next("ready")
            #expect(ready["folder"] as? String == folder.name)
            #expect(ready["exists"] as? Int == 1)

            let imap = try await harness.imap()
            let appended = try #require(try await imap.append(to: MailboxName(folder.name), message: TestMessages.simple(subject: "odd")))
            await imap.logout()
            #expect(try await client.next("new")["uids"] as? [Int] == [Int(appended.uid.rawValue)])
        }
    }

    @Test func idleIsReissuedAndAFolderNameOutsideASCIIRoundTrips() async throws {
        // IDLE renewed every 150 ms: changes after several renewals still arrive.
        try await withHarness(configure: { $0.events.idleRenewal = .milliseconds(150) }) { harness in
            let folder = try await makeFolder(harness, prefix: "Entwürfe/Événements 日本", messages: 0)
            let client = try await openStream(harness, folder.name)
            defer { client.close() }
            let ready = try await client.next("ready")
            #expect(ready["folder"] as? String == folder.name)
            #expect(ready["exists"] as? Int == 0)
            #expect(ready["uidNext"] as? Int == 1)

            // Let a few IDLE rounds pass; the stream must stay quiet and open meanwhile.
            let quietUntil = ContinuousClock.now + .milliseconds(600)
            while ContinuousClock.now < quietUntil {
                do {
                    let frame = try await client.nextFrame(timeout: quietUntil - .now)
                    if case .event(let name, _)? = frame { Issue.record("unexpected event \(name)") }
                    if frame == nil { Issue.record("the stream ended") }
                } catch SSEClient.Failure.timedOut {
                    break
                }
            }
            let imap = try await harness.imap()
            let appended = try #require(try await imap.append(to: MailboxName(folder.name), message: TestMessages.simple(subject: "later")))
            await imap.logout()
            let new = try await client.next("new")
            #expect(new["uids"] as? [Int] == [Int(appended.uid.rawValue)])
        }
    }

    @Test func headAnswersTheStreamsHeadAndLogsOut() async throws {
        try await withHarness { harness in
            let answer = try await RawHTTP.request(port: harness.port, "/folders/INBOX/events", method: "HEAD", user: .alice)
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "text/event-stream")
            #expect(answer.body.isEmpty)
            #expect(await eventually(timeout: .seconds(10)) { harness.gateway.context.eventStreams.openCount == 0 })
        }
    }
}
