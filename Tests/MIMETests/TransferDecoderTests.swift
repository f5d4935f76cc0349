import Codecs
import Testing
@testable import MIME

@Suite("Streaming TransferDecoder")
struct TransferDecoderTests {
    static let base64Fixtures: [String] = [
        "SGVsbG8sIHdvcmxkIQ==",
        "SGVsbG8s\r\nIHdvcmxk\r\nIQ==\r\n",
        "SGVs*bG8s!IHdv~cmxkIQ",
        "SGk=SGk=QQ",
        "44GT44KT44Gr44Gh44Gv44CB5LiW55WM\r\n",
    ]

    static let quotedPrintableFixtures: [String] = [
        "Gr=C3=BC=C3=9Fe, soft=\r\nbreak and =3D sign\r\n",
        "trailing   \r\nspace=\n=41=4a and tabs\t\t\r\nend",
        "bad =ZZ escape =4 and = space= \r\nsoft  \r",
        "x=\r",
        "=",
        "=A",
        "a= \t \rb\r\n\r\n",
        "\r\r\n  \r\n=0D=0A",
    ]

    /// Decodes `input` fed as two chunks split at `split`, and as one-byte chunks.
    private func streamed(_ input: [UInt8], encoding: ContentTransferEncoding, splits: [Int]) -> [UInt8] {
        var decoder = TransferDecoder(encoding: encoding)
        var output: [UInt8] = []
        var start = 0
        for split in splits + [input.count] {
            output += decoder.decode(input[start..<split])
            start = split
        }
        return output + decoder.finish()
    }

    @Test("base64 split at every byte position equals one-shot decoding", arguments: base64Fixtures)
    func base64Splits(fixture: String) {
        let input = bytes(fixture)
        let expected = Base64.decode(input)
        for split in 0...input.count {
            #expect(streamed(input, encoding: .base64, splits: [split]) == expected, "split at \(split)")
        }
        #expect(streamed(input, encoding: .base64, splits: Array(0..<input.count)) == expected)
    }

    @Test("quoted-printable split at every byte position equals one-shot decoding", arguments: quotedPrintableFixtures)
    func quotedPrintableSplits(fixture: String) {
        let input = bytes(fixture)
        let expected = QuotedPrintable.decode(input)
        for split in 0...input.count {
            #expect(streamed(input, encoding: .quotedPrintable, splits: [split]) == expected, "split at \(split)")
            for second in split...input.count {
                #expect(streamed(input, encoding: .quotedPrintable, splits: [split, second]) == expected)
            }
        }
        #expect(streamed(input, encoding: .quotedPrintable, splits: Array(0..<input.count)) == expected)
    }

    @Test("split inside a soft line break and inside an escape")
    func splitInsideSoftBreak() {
        var decoder = TransferDecoder(headerValue: "Quoted-Printable")
        var output = decoder.decode(bytes("ab="))
        output += decoder.decode(bytes("\r"))
        output += decoder.decode(bytes("\ncd=C"))
        output += decoder.decode(bytes("3=BC"))
        output += decoder.finish()
        #expect(output == bytes("abcdü"))
    }

    @Test("identity encodings pass bytes through", arguments: ["7bit", "8bit", "binary", "x-uuencode", ""])
    func identity(header: String) {
        var decoder = TransferDecoder(headerValue: header)
        let input: [UInt8] = [0x00, 0xFF, 0x3D, 0x0D, 0x0A]
        #expect(decoder.decode(input) + decoder.finish() == input)
    }

    @Test("memory stays bounded: each chunk's output is at most its size plus held-back whitespace")
    func boundedOutput() {
        var decoder = TransferDecoder(encoding: .quotedPrintable)
        let chunk = [UInt8](repeating: 0x20, count: 4096)
        var total = 0
        for _ in 0..<64 {
            let out = decoder.decode(chunk)
            #expect(out.count <= chunk.count + QuotedPrintableDecoderState.maxPendingWhitespace)
            total += out.count
        }
        total += decoder.finish().count
        // All spaces but the last (trailing, held back) run were flushed.
        #expect(total >= 64 * 4096 - QuotedPrintableDecoderState.maxPendingWhitespace)
    }

    @Test("a large base64 body streams to the same bytes")
    func largeBase64() {
        let payload = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var encoded = bytes(Base64.encode(payload))
        // Wrap at 76 columns as mailers do.
        var wrapped: [UInt8] = []
        for (index, byte) in encoded.enumerated() {
            wrapped.append(byte)
            if index % 76 == 75 { wrapped += [0x0D, 0x0A] }
        }
        encoded = wrapped
        var decoder = TransferDecoder(encoding: .base64)
        var output: [UInt8] = []
        var start = 0
        while start < encoded.count {
            let end = min(start + 1000, encoded.count)
            output += decoder.decode(encoded[start..<end])
            start = end
        }
        output += decoder.finish()
        #expect(output == payload)
    }

    @Test("Content-Transfer-Encoding header values", arguments: [
        ("base64", ContentTransferEncoding.base64),
        (" BASE64 ", .base64),
        ("Quoted-Printable", .quotedPrintable),
        ("7bit", .sevenBit),
        ("8BIT", .eightBit),
        ("binary", .binary),
        ("x-uuencode", .other("x-uuencode")),
        ("base64; foo=bar", .base64),
    ])
    func headerValues(value: String, expected: ContentTransferEncoding) {
        #expect(ContentTransferEncoding(headerValue: value) == expected)
    }
}
