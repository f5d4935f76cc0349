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
