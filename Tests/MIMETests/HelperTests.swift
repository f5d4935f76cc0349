import Codecs
import TestRandom
import Testing
@testable import MIME

@Suite("Previews and Message-ID lists")
struct HelperTests {
    @Test("preview collapses whitespace and cuts at 200 characters")
    func preview() {
        #expect(TextPreview.preview(text: "  Hello\r\n\r\n  world\t! ") == "Hello world !")
        let long = String(repeating: "abcd ", count: 100)
        let cut = TextPreview.preview(text: long)
        #expect(cut.count <= 200 && cut.count >= 195)
        #expect(!cut.hasSuffix(" "))
        #expect(TextPreview.preview(text: "") == "")
        #expect(TextPreview.preview(text: "日本語のテキスト", maxCharacters: 3) == "日本語")
    }

    @Test("preview from a truncated, encoded body part")
    func previewFromPart() {
        // "Grüße" in UTF-8, quoted-printable, cut in the middle of "ß".
        #expect(TextPreview.preview(encodedBody: bytes("Gr=C3=BC=C3"), transferEncoding: "quoted-printable", charset: "utf-8") == "Grü")
        #expect(TextPreview.preview(encodedBody: bytes("PHA+SGk8L3A+"), transferEncoding: "base64", charset: nil, isHTML: true) == "Hi")
        #expect(TextPreview.preview(encodedBody: [0xF0, 0xD2, 0xC9], transferEncoding: nil, charset: "koi8-r") == "При")
    }

    @Test("Message-ID lists", arguments: [
        ("<a@b> <c@d>", ["<a@b>", "<c@d>"]),
        ("<a@b>\r\n\t<c@d> (comment <x@y>)", ["<a@b>", "<c@d>"]),
        ("<a@b> <a@b>", ["<a@b>"]),
        ("a@b c@d", ["a@b", "c@d"]),
        ("<broken@x", []),
        ("", []),
    ])
    func messageIDs(raw: String, expected: [String]) {
        #expect(MessageIDList.parse(raw) == expected)
    }
}

@Suite("Robustness: malformed and large input")
struct RobustnessTests {
    @Test("random mutations of a real message never crash", arguments: 0..<8)
    func mutations(seed: Int) {
        var generator = SeededRandom(seed: UInt64(seed) &+ 1)
        let alphabet = bytes("=?-\r\n\"<>();:,@ Bq_%*'abc0123--outer--inner")
        for _ in 0..<150 {
            var message = MultipartTests.nested
            for _ in 0..<(Int(generator.next() % 20) + 1) {
                let position = Int(generator.next() % UInt64(message.count))
                switch generator.next() % 3 {
                case 0: message[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: message.remove(at: position)
                default: message.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
                }
            }
            let cut = Int(generator.next() % UInt64(message.count + 1))
            let truncated = Array(message[..<cut])
            let parsed = MIMEMessage.parse(truncated)
            for part in parsed.parts {
                // Every part id the walker hands out must be locatable in the same bytes.
                #expect(MIMEMessage.section(part.partId, in: truncated) != nil, "part \(part.partId)")
            }
        }
    }

    /// Every decoder is total (returns for any bytes, which is all `AddressList` and `MailDate`
    /// are checked for) and keeps the promises a reader of its output relies on: output bounded
    /// by input, nothing mangled without a problem note, part ids that locate their part.
    @Test("random bytes through every decoder: bounded output, problems reported, parts locatable")
    func randomBytes() {
        var generator = SeededRandom(seed: 42)
        for _ in 0..<300 {
            let input = (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let isUTF8 = String(validating: input, as: UTF8.self) != nil

            let message = MIMEMessage.parse(input)
            for part in message.parts {
                #expect(MIMEMessage.section(part.partId, in: input) != nil, "part \(part.partId)")
            }
            _ = AddressList.parse(input)
            _ = MailDate.parse(String(decoding: input, as: UTF8.self))

            // Bytes that are not UTF-8 are read as windows-1252, and the reader is told.
            let header = MIMEHeaderDecoder.decode(input)
            #expect(isUTF8 || !header.problems.isEmpty)

            // The disposition type is the lowercased text before the first ";". (Bytes, not
            // `String.contains`: that would find ";" in U+037E, which is canonically equivalent.)
            let disposition = ContentDisposition.parse(String(decoding: input, as: UTF8.self))
            #expect(!disposition.kind.utf8.contains(UInt8(ascii: ";")))
            #expect(disposition.kind == disposition.kind.lowercased())

            // Transfer decodings never grow the data; base64 gives back what it was given.
            #expect(Base64.decode(input).count <= input.count * 3 / 4)
            #expect(Base64.decode(Base64.encode(input)) == input)
            #expect(QuotedPrintable.decode(input).count <= input.count)

            for charset in ["utf-8", "shift_jis", "iso-2022-jp", "utf-16", "gb18030", "big5", "utf-7"] {
                let decoded = Charset.decode(input, charset: charset)
                // At most one character per byte, whatever the charset does with bad input.
                #expect(decoded.string.unicodeScalars.count <= input.count, "\(charset)")
            }
            // UTF-8 that is valid comes through unchanged and without a note; anything else gets one.
            let utf8 = Charset.decode(input, charset: "utf-8")
            if isUTF8 {
                #expect(utf8.string == String(decoding: input, as: UTF8.self) && utf8.problem == nil)
            } else {
                #expect(utf8.problem != nil)
            }
        }
    }

    @Test("deep nesting is capped, not recursed without bound")
    func deepNesting() {
        var text = ""
        for level in 0..<200 { text += "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" }
        text += "Content-Type: text/plain\n\ndeep\n"
        let message = MIMEMessage.parse(bytes(text))
        #expect(message.decodingProblems.contains { $0.contains("nesting deeper") })
    }

    @Test("a multi-megabyte message parses quickly (linear time)")
    func largeMessage() {
        let line = Array(repeating: UInt8(ascii: "A"), count: 76) + [0x0D, 0x0A]
        var body: [UInt8] = []
        body.reserveCapacity(8 * 1024 * 1024)
        while body.count < 8 * 1024 * 1024 { body += line }
        let message = concat(wire("""
        Subject: big
        Content-Type: multipart/mixed; boundary=big

        --big
        Content-Type: text/plain

        small text
        --big
        Content-Type: application/octet-stream
        Content-Transfer-Encoding: base64


        """), body, wire("\n--big--\n"))
        let clock = ContinuousClock()
        var parsed: MIMEMessage? = nil
        let elapsed = clock.measure { parsed = MIMEMessage.parse(message) }
        #expect(parsed?.attachments.first?.size == body.count / 78 * 57)
        #expect(parsed?.textBody == "small text")
        // Generous bound for a debug build on a busy machine; quadratic behaviour takes minutes.
        #expect(elapsed < .seconds(30))
    }

    @Test("a huge header line and many header fields")
    func hugeHeaders() {
        let subject = "Subject: " + String(repeating: "=?utf-8?Q?a?= ", count: 50_000) + "\r\n"
        let fields = String(repeating: "X-A: b\r\n", count: 20_000)
        let message = MIMEMessage.parse(bytes(subject + fields + "\r\nbody"))
        #expect(message.subject == String(repeating: "a", count: 50_000))
        #expect(message.headers.count == 20_001)
    }

    @Test("problems are listed once each and capped")
    func problemCap() {
        var text = "Content-Type: multipart/mixed; boundary=p\n\n"
        for index in 0..<500 { text += "--p\nContent-Type: text/plain; charset=x-bogus-\(index)\n\n\u{00E9}\n" }
        text += "--p--\n"
        let message = MIMEMessage.parse(bytes(text))
        #expect(message.decodingProblems.count == 201)
        #expect(message.decodingProblems.last == "300 more problems not listed")
        #expect(message.textBody?.hasPrefix("\u{00E9}\n\u{00E9}") == true)
    }
}

@Suite("format=flowed (RFC 3676)")
struct FormatFlowedTests {
    @Test("unwraps", arguments: [
        ("one \ntwo \nthree\nnext", false, "one two three\nnext"),
        ("one \ntwo\n", false, "one two\n"),
        ("word\u{20}\nbreak", true, "wordbreak"),  // delsp=yes
        ("> quoted \n> more\nplain", false, "> quoted more\nplain"),
        (">> deep \n> shallow", false, ">> deep \n> shallow"),  // depth change ends the paragraph
        (" >stuffed", false, ">stuffed"),
        ("-- \nsig", false, "-- \nsig"),
        ("", false, ""),
    ])
    func unwraps(input: String, deleteSpace: Bool, expected: String) {
        #expect(FormatFlowed.unwrap(input, deleteSpace: deleteSpace) == expected)
    }

    @Test("applied to flowed text bodies only")
    func appliedByParser() {
        let flowed = MIMEMessage.parse(wire("Content-Type: text/plain; format=flowed\n\nHello \nworld\n"))
        #expect(flowed.textBody == "Hello world\n")
        let fixed = MIMEMessage.parse(wire("Content-Type: text/plain\n\nHello \nworld\n"))
        #expect(fixed.textBody == "Hello \nworld\n")
    }
}
