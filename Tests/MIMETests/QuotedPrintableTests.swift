import Testing
@testable import MIME

@Suite("Quoted-printable (RFC 2045 §6.7)")
struct QuotedPrintableTests {
    @Test("decodes", arguments: [
        ("Gr=C3=BC=C3=9Fe", "Grüße"),
        ("gr=c3=bc=c3=9fe", "grüße"),  // lowercase hex
        ("soft=\r\nbreak", "softbreak"),
        ("soft=\nbreak", "softbreak"),  // bare LF
        ("soft= \t\r\nbreak", "softbreak"),  // transport whitespace after "="
        ("trailing   \r\nspace", "trailing\r\nspace"),  // trailing whitespace dropped
        ("tab\t\nx", "tab\nx"),
        ("a=ZZb", "a=ZZb"),  // invalid escape kept
        ("a=Zb", "a=Zb"),
        ("a=3", "a=3"),  // dangling at end
        ("a=", "a="),  // a dangling "=" at the end cannot be an escape: kept
        ("100% = sure", "100% = sure"),
        ("=3D=3d", "=="),
        ("line1\r\nline2\r\n", "line1\r\nline2\r\n"),
        ("a\rb", "a\rb"),  // lone CR kept
        ("inner  space", "inner  space"),
        ("x = \r\ny", "x y"),  // "=" + whitespace + CRLF is still a soft break
    ])
    func decodes(encoded: String, expected: String) {
        #expect(QuotedPrintable.decode(encoded) == bytes(expected))
    }

    @Test("soft break with trailing whitespace at end of input is removed")
    func softBreakAtEnd() {
        #expect(QuotedPrintable.decode("abc=  ") == bytes("abc"))
        #expect(QuotedPrintable.decode("abc=\r\n") == bytes("abc"))
    }

    @Test("RFC 2047 Q encoding", arguments: [
        ("Hello_World", "Hello World"),
        ("G=FCnter__Hammerl", "G\u{FC}nter  Hammerl"),
        ("=e2=82=ac", "€"),
        ("bad=G1", "bad=G1"),
        ("end=", "end="),
    ])
    func qEncoding(encoded: String, expected: String) {
        let decoded = QuotedPrintable.decodeQEncoding(bytes(encoded))
        // Q payloads here are ISO-8859-1 in one case; compare through the charset decoder.
        let asText = expected == "G\u{FC}nter  Hammerl"
            ? Charset.decode(decoded, charset: "iso-8859-1").string
            : String(decoding: decoded, as: UTF8.self)
        #expect(asText == expected)
    }
}
