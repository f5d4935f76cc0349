import Foundation
import Gateway
import TestRandom
import Testing
import TestSupport

@Suite("Raw and part downloads", .serialized)
struct DownloadTests {
    /// Random bytes that are the same in every run.
    static func noise(_ count: Int) -> [UInt8] {
        var random = SeededRandom(seed: 0x9E37_79B9_7F4A_7C15)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test func rawDownloadIsTheDeliveredBytesAcrossManyChunks() async throws {
        try await withHarness(configure: { $0.streamChunkBytes = 64 * 1024 }) { harness in
            let folder = uniqueName("Raw")
            let message = TestMessages.withAttachment(Self.noise(400_000), filename: "noise.bin")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [message])
            let raw = try await harness.request(Paths.message(folder, uid: 1) + "/raw")
            #expect(raw.status == 200)
            #expect(raw.headers["content-type"] == "message/rfc822")
            #expect(raw.headers["content-length"] == String(message.count))
            #expect(Array(raw.body) == message)

            let tag = try #require(raw.headers["etag"])
            #expect(try await harness.request(Paths.message(folder, uid: 1) + "/raw", headers: ["If-None-Match": tag]).status == 304)

            let head = try await harness.request(Paths.message(folder, uid: 1) + "/raw", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers["content-length"] == String(message.count))
        }
    }

    @Test func partDownloadIsTransferDecoded() async throws {
        try await withHarness(configure: { $0.streamChunkBytes = 50_000 }) { harness in
            let folder = uniqueName("Part")
            let payload = Self.noise(300_001)
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.withAttachment(payload, filename: "Grüße.bin"),
            ])
            let part = try await harness.request(Paths.part(folder, uid: 1, partId: "2"))
            #expect(part.status == 200)
            #expect(Array(part.body) == payload)
            #expect(part.headers["content-type"] == "application/octet-stream")
            let disposition = try #require(part.headers["content-disposition"])
            #expect(disposition.hasPrefix("attachment"))
            #expect(disposition.contains("filename*=UTF-8''Gr%C3%BC%C3%9Fe.bin"))

            let text = try await harness.request(Paths.part(folder, uid: 1, partId: "1"))
            #expect(text.text.hasPrefix("See the attachment."))
            #expect(text.headers["content-type"] == "text/plain; charset=utf-8")

            let head = try await harness.request(Paths.part(folder, uid: 1, partId: "2"), method: "HEAD")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }
}
