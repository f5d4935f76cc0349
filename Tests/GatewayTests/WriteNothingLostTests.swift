import Foundation
import Gateway
import IMAP
import IMAPClient
import Logging
import Sockets
import Testing
import TestSupport

/// A TCP proxy between the gateway and Dovecot that kills Dovecot the moment the gateway sends a
/// command matching `trigger`: the server vanishes at exactly that step of a multi-command write.
final class KillingProxy: Sendable {
    let listener: TCPListener
    let port: Int

    init(dovecot: Dovecot, trigger: @escaping @Sendable ([UInt8]) -> Bool) throws {
        listener = try TCPListener(host: "127.0.0.1", port: 0)
        port = listener.port
        let listener = self.listener
        Task {
            while let client = try? await listener.accept() {
                Task {
                    guard let server = try? await SocketStream.connect(host: dovecot.host, port: dovecot.port, timeout: .seconds(5)) else {
                        client.close()
                        return
                    }
                    Task {
                        while let bytes = try? await server.read(), !bytes.isEmpty {
                            guard (try? await client.write(bytes)) != nil else { break }
                        }
                        client.close()
                    }
                    var seen: [UInt8] = []
                    while let bytes = try? await client.read(), !bytes.isEmpty {
                        seen += bytes
                        if trigger(seen) {
                            dovecot.kill()
                            break
                        }
                        guard (try? await server.write(bytes)) != nil else { break }
                    }
                    server.close()
                    client.close()
                }
            }
        }
    }

    func close() { listener.close() }
}

@Suite("Nothing is lost", .serialized)
struct WriteNothingLostTests {
    @Test func moveInterruptedBetweenCopyAndExpungeKeepsTheSource() async throws {
        try await withDovecot { dovecot in
            let source = uniqueName("Source")
            let target = uniqueName("Target")
            try dovecot.deliver(user: "alice", folder: source, messages: [TestMessages.simple(subject: "precious")])
            try dovecot.deliver(user: "alice", folder: target, messages: [])
            // Without MOVE the gateway copies, then flags \Deleted and expunges; Dovecot dies when
            // the flagging command arrives, i.e. after the COPY succeeded and before any expunge.
            let proxy = try KillingProxy(dovecot: dovecot) { seen in
                let text = String(decoding: seen, as: UTF8.self)
                return text.contains("UID COPY") && text.contains("UID STORE")
            }
            defer { proxy.close() }
            try await withHarness(dovecot: dovecot, configure: { configuration in
                configuration.imap = IMAPEndpoint(host: "127.0.0.1", port: proxy.port, security: .none)
                configuration.imap.ignoredCapabilities = ["MOVE"]
            }) { harness in
                let before = try await harness.request(Paths.messages(source))
                let uid = try #require((try before.json()["messages"] as? [[String: Any]])?.first?["uid"] as? Int)
                let moved = try await harness.request(Paths.message(source, uid: UInt32(uid)) + "/move", method: "POST",
                                                      body: jsonBody(["to": target]))
                #expect(moved.status == 502, "a vanished server is a 502, got \(moved.status) \(moved.text)")
                #expect(!dovecot.isRunning)

                try dovecot.restart()
                let imap = try await IMAPConnection.connect(
                    IMAPServerConfiguration(host: dovecot.host, port: dovecot.port, tlsMode: .none), logger: Logger(label: "check"))
                try await imap.authenticate(.password(user: DovecotUser.alice.name, password: DovecotUser.alice.password))
                _ = try await imap.select(MailboxName(source), readOnly: true)
                let inSource = try await imap.uidSearch(.all)
                #expect(inSource == [UID(UInt32(uid))], "the message must still be in the source")
                _ = try await imap.select(MailboxName(target), readOnly: true)
                let inTarget = try await imap.uidSearch(.all)
                #expect(inTarget.count <= 1)
                await imap.logout()
                dovecot.stop()
            }
        }
    }
}
