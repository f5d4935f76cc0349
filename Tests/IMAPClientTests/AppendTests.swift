import Foundation
import Testing
import TestSupport
@testable import IMAPClient

@Suite("APPEND against Dovecot")
struct AppendTests {
    @Test("APPEND returns APPENDUID and the fetched bytes are the same, with and without LITERAL+", arguments: [
        Set<Capability>(), [.literalPlus, .literalMinus],
    ])
    func appendRoundTrip(ignoring: Set<Capability>) async throws {
        let connection = try await TestServer.session(ignoring: ignoring)
        let folder = MailboxName(TestServer.uniqueFolder("append"))
        try await connection.create(folder)
        // 8-bit text and a body over 4096 octets (LITERAL- would have to synchronise).
        let message = TestServer.message(subject: "Grüße", body: String(repeating: "Zeile mit Umlauten äöü\r\n", count: 400))
        let result = try #require(try await connection.append(to: folder, message: message, flags: [.seen, Flag("$Label1")], date: "17-Jul-1996 02:44:25 -0700"))
        let status = try await connection.status(folder)
        #expect(result.uidValidity == status.uidValidity)

        _ = try await connection.select(folder, readOnly: true)
        let fetched = try await connection.uidFetch(UIDSet([result.uid]), [.bodyPeek(section: "", partial: nil), .flags, .internalDate])
        #expect(fetched.first?.body(section: "") == message)
        #expect(fetched.first?.flags.map { Set($0).subtracting([.recent]) } == [.seen, Flag("$Label1")])
        // The same instant; Dovecot answers in its own zone.
        #expect(["17-Jul-1996 02:44:25 -0700", "17-Jul-1996 09:44:25 +0000"].contains(fetched.first?.internalDate ?? ""))
        await connection.logout()
    }

    @Test("APPEND streams a large body from an async sequence in chunks")
    func streamed() async throws {
        let connection = try await TestServer.session()
        let folder = MailboxName(TestServer.uniqueFolder("stream"))
        try await connection.create(folder)
        let header = Array("Subject: big\r\n\r\n".utf8)
        let line = Array("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n".utf8)
        let count = 30_000   // about 2.2 MB
        let body = AsyncThrowingStream<[UInt8], any Error> { continuation in
            continuation.yield(header)
            for _ in 0..<count { continuation.yield(line) }
            continuation.finish()
        }
        let size = header.count + line.count * count
        let result = try #require(try await connection.append(to: folder, flags: [], date: nil, size: size, body: body))
        _ = try await connection.select(folder, readOnly: true)
        let fetched = try await connection.uidFetch(UIDSet([result.uid]), [.rfc822Size])
        #expect(fetched.first?.size == size)
        await connection.logout()
    }

    @Test("a body shorter than announced fails clearly and ends the session")
    func shortBody() async throws {
        let connection = try await TestServer.session()
        let body = AsyncThrowingStream<[UInt8], any Error> { continuation in
            continuation.yield(Array("Subject: x\r\n\r\nshort".utf8))
            continuation.finish()
        }
        do {
            _ = try await connection.append(to: .inbox, flags: [], date: nil, size: 1000, body: body)
            Issue.record("APPEND with a short body succeeded")
        } catch IMAPError.invalidArgument(let message) {
            #expect(message.contains("1000"))
        }
        #expect(!connection.isUsable)
    }

    @Test("an invalid date is refused before anything is sent")
    func invalidDate() async throws {
        let connection = try await TestServer.session()
        await #expect(throws: IMAPError.self) {
            _ = try await connection.append(to: .inbox, message: TestServer.message(subject: "x"), date: "yesterday")
        }
        #expect(connection.isUsable)
        await connection.logout()
    }
}
