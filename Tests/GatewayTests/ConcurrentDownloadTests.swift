import Foundation
import Gateway
import Sockets
import Testing
import TestSupport

/// Issue 13: a streamed download takes its IMAP session before the 200 goes out and holds it to
/// the end, so a crowd of downloads on a small pool gets complete bodies or an honest error
/// before any head, never a 200 with a short body.
@Suite("Downloads under concurrency", .serialized)
struct ConcurrentDownloadTests {
    /// What one raw HTTP/1.1 download saw.
    enum Outcome: Equatable {
        case complete
        /// A status other than 200, answered before any body: honest.
        case refused(Int)
        /// 200, then fewer bytes than Content-Length, or wrong bytes: the lie this test hunts.
        case truncated(got: Int, promised: Int)
        case unreadable(String)
    }

    static func download(port: Int, path: String, expected: [UInt8]) async -> Outcome {
        do {
            let stream = try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .seconds(30))
            defer { stream.close() }
            let credentials = Data("\(DovecotUser.alice.name):\(DovecotUser.alice.password)".utf8).base64EncodedString()
            let head = "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Basic \(credentials)\r\n\r\n"
            try await stream.write(Array(head.utf8)[...], timeout: .seconds(30))
            var received: [UInt8] = []
            reading: while true {
                do {
                    let bytes = try await stream.read(maxBytes: 65536, timeout: .seconds(60))
                    if bytes.isEmpty { break reading }
                    received += bytes
                } catch SocketError.disconnected {
                    break reading  // a reset is how an aborted stream ends
                }
            }
            guard let end = received.indices.first(where: { received[$0...].starts(with: [13, 10, 13, 10]) }) else {
                return .unreadable("no head in \(received.count) bytes")
            }
            let lines = String(decoding: received[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
                return .unreadable(lines.first ?? "")
            }
            guard status == 200 else { return .refused(status) }
            let length = lines.first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? -1
            let body = Array(received[(end + 4)...])
            return body == expected && length == expected.count ? .complete : .truncated(got: body.count, promised: length)
        } catch {
            return .unreadable("\(error)")
        }
    }

    @Test("200 concurrent downloads on a pool of 3 sessions: every 200 carries the whole message")
    func twoHundredDownloads() async throws {
        let harness = try await GatewayHarness.start {
            $0.pool.perAccount = 3
            // All 200 come from 127.0.0.1: the per-address caps are not what this test is about.
            $0.maxConnectionsPerClient = 1000
            $0.maxUnauthenticatedConnectionsPerClient = 1000
            $0.streamChunkBytes = 16 * 1024
        }
        let folder = uniqueName("Crowd")
        var random = SystemRandomNumberGenerator()
        let message = TestMessages.withAttachment((0..<120_000).map { _ in UInt8.random(in: 0...255, using: &random) },
                                                  filename: "crowd.bin")
        let outcomes: [Outcome]
        do {
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [message])
            let path = Paths.message(folder, uid: 1) + "/raw"
            let port = harness.port
            outcomes = await withTaskGroup(of: Outcome.self) { group in
                for _ in 0..<200 { group.addTask { await Self.download(port: port, path: path, expected: message) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
        let complete = outcomes.filter { $0 == .complete }.count
        let lies = outcomes.filter { if case .truncated = $0 { true } else { false } }
        let other = outcomes.filter { if case .unreadable = $0 { true } else { false } }
        let refused = outcomes.compactMap { if case .refused(let status) = $0 { status } else { nil } }
        #expect(lies.isEmpty, "200 with a short or wrong body: \(lies.prefix(5))")
        #expect(other.isEmpty, "\(other.prefix(5))")
        // A busy pool may refuse some before the head (503 + Retry-After), never most of them.
        #expect(refused.allSatisfy { $0 == 503 }, "\(Set(refused))")
        #expect(complete >= 150, "complete \(complete), refused \(refused.count)")
        print("concurrent downloads: \(complete) complete, \(refused.count) refused before the head, \(lies.count) truncated")
    }
}
