import Testing
@testable import HTTPServer

/// Moved from MIMETests with `HTTPContentDisposition` itself (an HTTP header, not mail).
@Suite("HTTP Content-Disposition (RFC 6266)")
struct ContentDispositionTests {
    @Test("RFC 6266 Content-Disposition values", arguments: [
        ("report.pdf", "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"),
        ("Grüße €.pdf", "attachment; filename=\"Gru_e _.pdf\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%E2%82%AC.pdf"),
        ("a\"b\\c.txt", "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b_c.txt"),
        ("../../etc/passwd", "attachment; filename=\".._.._etc_passwd\"; filename*=UTF-8''.._.._etc_passwd"),
        ("evil\r\nSet-Cookie: x.txt", "attachment; filename=\"evilSet-Cookie: x.txt\"; filename*=UTF-8''evilSet-Cookie%3A%20x.txt"),
        ("日本.txt", "attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt"),
    ])
    func contentDisposition(filename: String, expected: String) {
        #expect(HTTPContentDisposition.value(filename: filename) == expected)
    }

    @Test("Content-Disposition without a filename, and inline")
    func contentDispositionBare() {
        #expect(HTTPContentDisposition.value(filename: nil) == "attachment")
        #expect(HTTPContentDisposition.value(filename: "\r\n") == "attachment")
        #expect(HTTPContentDisposition.value(disposition: "INLINE", filename: "a.png") == "inline; filename=\"a.png\"; filename*=UTF-8''a.png")
    }
}
