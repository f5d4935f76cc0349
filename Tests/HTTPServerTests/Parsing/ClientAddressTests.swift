@testable import HTTPServer
import Testing

@Suite("Client address of a peer")
struct ClientAddressTests {
    @Test(arguments: [
        ("[::1]:5000", "::1"), ("10.0.0.1:5000", "10.0.0.1"), ("::1", "::1"), ("unix", "unix"),
    ])
    func hostWithoutThePort(remote: String, host: String) {
        #expect(ClientAddress.host(ofPeer: remote) == host)
    }
}
