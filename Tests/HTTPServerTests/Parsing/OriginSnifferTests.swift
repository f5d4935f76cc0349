@testable import HTTPServer
import Testing

@Suite("Origin of a rejected head")
struct OriginSnifferTests {
    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: x\r\nOrigin: https://a.example\r\n\r\n", "https://a.example"),
        ("GET / HTTP/1.1\r\norigin:https://a.example\r\n", "https://a.example"),
        ("GET / HTTP/1.1\r\nOrIgIn: \t https://a.example:8443 \t\r\nX: y\r\n\r\n", "https://a.example:8443"),
        ("GET / HTTP/1.1\nOrigin: null\n\n", "null"),
    ])
    func found(head: String, origin: String) {
        #expect(OriginSniffer.origin(in: Array(head.utf8)[...]) == origin)
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nHost: x\r\n\r\nOrigin: https://body.example\r\n",  // after the head: body bytes
        "GET / HTTP/1.1\r\nX-Origin: https://a.example\r\n\r\n",                  // another field
        "GET / HTTP/1.1\r\nOrigin: https://a.example/ü\r\n\r\n",                  // not visible ASCII
        "GET / HTTP/1.1\r\nOrigin:   \r\n\r\n",                                   // empty
        "GET / HTTP/1.1\r\nOrigin\u{1A} https://a.example\r\n\r\n",               // no colon
        "",
    ])
    func absent(head: String) {
        #expect(OriginSniffer.origin(in: Array(head.utf8)[...]) == nil)
    }
}
