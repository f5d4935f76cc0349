import Codecs
import Foundation
import TestRandom
import Testing

/// `Codecs.PercentEncoding` replaced three copies (MIME's RFC 2231 decoder and attr-char encoder,
/// HTTPServer's URL decoder, the gateway's path-segment encoder).
@Suite("Percent-encoding")
struct PercentEncodingTests {
    private static func randomText(_ random: inout SeededRandom) -> [UInt8] {
        let pieces: [[UInt8]] = [Array("%".utf8), Array("%4".utf8), Array("%41".utf8), Array("%e2%82%ac".utf8),
                                 Array("%G1".utf8), Array("+".utf8), Array("a".utf8), Array("/".utf8), [0xC3, 0xBC]]
        return (0..<random.next(8)).flatMap { _ in pieces[random.next(pieces.count)] }
    }

    @Test("encoding unreserved bytes matches Foundation's RFC 3986 unreserved set")
    func encodingMatchesFoundation() {
        var unreserved = CharacterSet(charactersIn: "-._~")
        unreserved.formUnion(CharacterSet(charactersIn: "a"..."z"))
        unreserved.formUnion(CharacterSet(charactersIn: "A"..."Z"))
        unreserved.formUnion(CharacterSet(charactersIn: "0"..."9"))
        for text in ["Reports/2024", "日本語", "a b%c?d#e[f]", "~-._", "Grüße €"] {
            #expect(PercentEncoding.encode(text.utf8, keeping: PercentEncoding.isUnreserved)
                    == text.addingPercentEncoding(withAllowedCharacters: unreserved))
        }
        #expect(PercentEncoding.encode("a\"b c".utf8, keeping: PercentEncoding.isAttrChar) == "a%22b%20c")
    }

    @Test("strict decoding: Foundation's answer for every text; lenient decoding keeps what strict refuses")
    func decoding() {
        var random = SeededRandom(seed: 0x25)
        var refused = 0
        for _ in 0..<1000 {
            let text = Self.randomText(&random)
            let strict = PercentEncoding.decodeStrictly(text, plusIsSpace: false)
            let lenient = PercentEncoding.decodeKeepingMalformed(text)
            if let strict {
                #expect(lenient == strict)
                // Foundation answers nil also for escapes that are not UTF-8; compare where it has text.
                if let expected = String(decoding: text, as: UTF8.self).removingPercentEncoding {
                    #expect(String(validating: strict, as: UTF8.self) == expected)
                }
            } else {
                refused += 1
                #expect(String(decoding: text, as: UTF8.self).removingPercentEncoding == nil)
                #expect(lenient.contains(UInt8(ascii: "%")))
            }
        }
        #expect(refused > 50 && refused < 950)
    }

    @Test("plus is a space only when asked; a malformed escape is kept literally or refused", arguments: [
        ("a+b%20c", false, "a+b c", "a+b c"),
        ("a+b", true, "a+b", "a b"),
        ("100%", false, "100%", nil),
        ("%zz%41", false, "%zzA", nil),
        ("%4", false, "%4", nil),
    ] as [(String, Bool, String, String?)])
    func edges(text: String, plusIsSpace: Bool, lenient: String, strict: String?) {
        #expect(PercentEncoding.decodeKeepingMalformed(text.utf8) == Array(lenient.utf8))
        #expect(PercentEncoding.decodeStrictly(text.utf8, plusIsSpace: plusIsSpace).map { String(decoding: $0, as: UTF8.self) } == strict)
    }
}
