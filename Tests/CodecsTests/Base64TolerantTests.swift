import Codecs
import Testing

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Base64 (RFC 2045 §6.8), tolerant")
struct Base64Tests {
    @Test("decodes", arguments: [
        ("SGVsbG8sIHdvcmxkIQ==", "Hello, world!"),
        ("SGVsbG8sIHdvcmxkIQ", "Hello, world!"),  // missing padding
        ("SGVsbG8s\r\nIHdvcmxk\r\nIQ==\r\n", "Hello, world!"),  // line breaks
        ("  SGVs bG8s\tIHdv cmxkIQ==  ", "Hello, world!"),  // whitespace
        ("SGVs*bG8s!IHdv~cmxkIQ==", "Hello, world!"),  // junk characters
        ("SGk=SGk=", "HiHi"),  // concatenated blobs
        ("", ""),
        ("=", ""),
        ("QQ", "A"),
        ("QUI", "AB"),
        ("QUJD", "ABC"),
        ("Q", ""),  // a lone sextet holds no whole byte
        ("44GT44KT44Gr44Gh44Gv", "こんにちは"),
    ])
    func decodes(encoded: String, expected: String) {
        #expect(Base64.decode(encoded) == bytes(expected))
    }

    @Test("base64url letters and dashes are skipped as junk")
    func dashesAreJunk() {
        #expect(Base64.decode("SGk-\r\n--_") == bytes("Hi"))
    }

    @Test("round trips every byte value")
    func roundTrip() {
        let all = (0...255).map(UInt8.init)
        #expect(Base64.decode(Base64.encode(all)) == all)
        #expect(Base64.encode(bytes("Hi")) == "SGk=")
        #expect(Base64.encode(bytes("H")) == "SA==")
    }
}
