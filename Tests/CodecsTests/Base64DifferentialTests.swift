import Codecs
import Foundation
import TestRandom
import Testing

/// `Codecs.Base64` replaced four hand-written copies (IMAP SASL and modified UTF-7, MIME, the
/// gateway's cursors). Foundation's coder is an independent implementation to hold it against.
@Suite("Base64 against Foundation")
struct Base64DifferentialTests {
    private static func randomBytes(_ random: inout SeededRandom) -> [UInt8] {
        (0..<random.next(40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    /// Foundation's base64 with `+/` mapped to another alphabet's last two letters, unpadded.
    private static func foundation(_ bytes: [UInt8], last two: String, padding: Bool) -> String {
        var text = Data(bytes).base64EncodedString()
        if !padding { text = String(text.prefix { $0 != "=" }) }
        let letters = Array(two)
        return String(text.map { $0 == "+" ? letters[0] : $0 == "/" ? letters[1] : $0 })
    }

    @Test("encoding: standard padded, base64url and modified-UTF-7 unpadded, as Foundation writes them")
    func encoding() {
        var random = SeededRandom(seed: 64)
        for _ in 0..<500 {
            let input = Self.randomBytes(&random)
            #expect(Base64.encode(input) == Data(input).base64EncodedString())
            let url = String(decoding: Base64.encode(input, alphabet: .url, padding: false), as: UTF8.self)
            #expect(url == Self.foundation(input, last: "-_", padding: false))
            let mailbox = String(decoding: Base64.encode(input, alphabet: .imapMailbox, padding: false), as: UTF8.self)
            #expect(mailbox == Self.foundation(input, last: "+,", padding: false))
        }
    }

    @Test("canonical decoding inverts encoding; tolerant decoding reads Foundation's output")
    func decoding() {
        var random = SeededRandom(seed: 65)
        for _ in 0..<500 {
            let input = Self.randomBytes(&random)
            for alphabet in [Base64Alphabet.standard, .url, .imapMailbox] {
                #expect(Base64.decodeCanonical(Base64.encode(input, alphabet: alphabet, padding: false), alphabet: alphabet) == input)
            }
            #expect(Base64.decode(Data(input).base64EncodedString(options: .lineLength64Characters)) == input)
        }
    }

    @Test("canonical decoding refuses exactly what re-encoding would not give back")
    func canonicalIsExact() {
        // Every text of up to 3 letters from a small alphabet: the old gateway rule was
        // "decode, re-encode, compare"; the new one must agree with it on each.
        let letters = Array("AQgw-_+/=".utf8)
        var texts: [[UInt8]] = [[]]
        for length in 1...3 {
            texts += texts.filter { $0.count == length - 1 }.flatMap { prefix in letters.map { prefix + [$0] } }
        }
        for text in texts {
            let decoded = Base64.decodeCanonical(text, alphabet: .url)
            let roundTrips = decoded.map { Base64.encode($0, alphabet: .url, padding: false) == text } ?? false
            let allLetters = text.allSatisfy { Base64Alphabet.url.letters.contains($0) }
            #expect((decoded != nil) == (allLetters && text.count % 4 != 1 && roundTrips), "\(String(decoding: text, as: UTF8.self))")
        }
        #expect(Base64.decodeCanonical(Array("QR".utf8), alphabet: .url) == nil)  // low bits set
        #expect(Base64.decodeCanonical(Array("QQ".utf8), alphabet: .url) == [0x41])
        #expect(Base64.decodeCanonical(Array("QQ==".utf8), alphabet: .url) == nil)  // no padding
    }
}
