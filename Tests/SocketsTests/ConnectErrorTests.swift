import Testing
import Sockets

@Suite("Connection errors say what happened", .timeLimit(.minutes(1)))
struct ConnectErrorTests {
    @Test("a port nobody listens on gives connectionRefused")
    func refused() async throws {
        // Bind then close to find a port that is (very likely) free.
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        await #expect(throws: SocketError.connectionRefused(host: "127.0.0.1", port: port)) {
            _ = try await SocketStream.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        }
    }

    @Test("error descriptions carry the call, the errno text and the number")
    func descriptions() {
        let failure = SocketError.failed(call: "recv", errno: 104)
        #expect(failure.description == "recv failed: Connection reset by peer (errno 104)")
        #expect(SocketError.connectionRefused(host: "db", port: 993).description.contains("db:993"))
        #expect(SocketError.timedOut(operation: "read from 10.0.0.1:993").description == "timed out: read from 10.0.0.1:993")
    }

    @Test("a name under .invalid gives resolveFailed naming the host")
    func unresolvable() async throws {
        do {
            _ = try await SocketStream.connect(host: "no-such-host.invalid", port: 993, timeout: .seconds(10))
            Issue.record("connect to an .invalid name succeeded")
        } catch let error as SocketError {
            guard case .resolveFailed(let host, let message) = error else {
                Issue.record("expected resolveFailed, got \(error)")
                return
            }
            #expect(host == "no-such-host.invalid")
            #expect(!message.isEmpty)
            #expect(error.description.contains("no-such-host.invalid"))
        }
    }
}
