import Foundation
@testable import Gateway
import HTTPServer
import IMAP
import Sockets
import Testing

/// The pieces of event streams that need no server: framing, chunking, caps.
@Suite("Event stream units")
struct EventStreamUnitTests {
    @Test func framesAreOneEventLineOneDataLineAndABlankLine() {
        let frame = String(decoding: FolderEvent.ready(folder: "Reports/2024", uidValidity: 7, uidNext: 4, exists: 3).frame, as: UTF8.self)
        #expect(frame == "event: ready\ndata: {\"exists\":3,\"folder\":\"Reports/2024\",\"uidNext\":4,\"uidValidity\":7}\n\n")
        #expect(String(decoding: FolderEvent.expungedCount(exists: 0).frame, as: UTF8.self) == "event: expunged\ndata: {\"exists\":0}\n\n")
        let flags = String(decoding: FolderEvent.flags(uid: 9, flags: ["\\Seen", "$Label1"]).frame, as: UTF8.self)
        #expect(flags == "event: flags\ndata: {\"flags\":[\"\\\\Seen\",\"$Label1\"],\"uid\":9}\n\n")
        let problem = String(decoding: FolderEvent.error(Problem.notFound("gone")).frame, as: UTF8.self)
        #expect(problem.hasPrefix("event: error\ndata: {"))
        #expect(problem.hasSuffix("}\n\n"))
        #expect(problem.filter { $0 == "\n" }.count == 3)
    }

    @Test func aLineBreakInTheDataCannotStartAnotherEvent() {
        let frame = String(decoding: ServerSentEvent.frame(event: "x", json: Array("a\nevent: forged\r\nb".utf8)), as: UTF8.self)
        #expect(frame == "event: x\ndata: a\ndata: event: forged\ndata: \ndata: b\n\n")
    }

    @Test func vanishedRangesAreCutIntoEventsOfAtMost500() async {
        var chunks: [[UInt32]] = []
        // 1:1000 and 1001 and a reversed range (a server may send 2000:1500), in the set's order.
        let set = UIDSet(ranges: [MessageRange(UID(1), UID(1000)), MessageRange(UID(1001)), MessageRange(UID(2000), UID(1500))])
        await FolderEvent.forEachChunk(of: set) { chunks.append($0) }
        #expect(chunks.map(\.count) == [500, 500, 500, 2])
        #expect(chunks[0] == Array(1...500))
        #expect(chunks.joined().elementsEqual(Array(1...1001) + Array(1500...2000)))
        var none = 0
        await FolderEvent.forEachChunk(of: UIDSet(ranges: [])) { _ in none += 1 }
        #expect(none == 0)
    }

    @Test func capsPerAccountAndGlobalAnswer429WithRetryAfter() throws {
        var configuration = EventStreamConfiguration()
        configuration.perAccount = 2
        configuration.global = 3
        let limits = EventStreamLimits(configuration: configuration)
        let a1 = try limits.reserve(for: "ann")
        let a2 = try limits.reserve(for: "ann")
        #expect(throws: HTTPError.self) { try limits.reserve(for: "ann") }
        let b1 = try limits.reserve(for: "bob")
        do {
            _ = try limits.reserve(for: "cid")
            Issue.record("the global cap let a fourth stream in")
        } catch {
            #expect(error.status == 429)
            #expect(error.headers.values(for: "Retry-After") == ["30"])
            #expect(error.type.hasSuffix("/too-many-event-streams"))
        }
        a1.release()
        a1.release()
        #expect(limits.openCount == 2)
        let c1 = try limits.reserve(for: "cid")
        #expect(limits.openCount == 3)
        _ = (a2, b1, c1)
    }

    @Test func aDroppedSlotIsFreed() throws {
        let limits = EventStreamLimits(configuration: EventStreamConfiguration())
        do {
            let slot = try limits.reserve(for: "ann")
            #expect(limits.openCount == 1)
            _ = slot
        }
        #expect(limits.openCount == 0)
    }

    @Test func shutdownStopsOpenStreamsAndRefusesNewOnes() throws {
        let limits = EventStreamLimits(configuration: EventStreamConfiguration())
        let slot = try limits.reserve(for: "ann")
        let stopped = Protected(0)
        slot.onShutdown { stopped.withLock { $0 += 1 } }
        limits.shutdown()
        #expect(stopped.current == 1)
        do {
            _ = try limits.reserve(for: "ann")
            Issue.record("a stream opened during shutdown")
        } catch {
            #expect(error.status == 503)
        }
        // A stream that registers after shutdown is stopped at once.
        let late = Protected(false)
        slot.onShutdown { late.withLock { $0 = true } }
        #expect(late.current)
        slot.release()
        #expect(limits.openCount == 0)
    }

    @Test func settingsAreValidated() {
        var configuration = GatewayConfiguration()
        configuration.events.perAccount = 3
        configuration.events.global = 2
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        configuration.events.global = 3
        configuration.events.heartbeat = .zero
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }
}
