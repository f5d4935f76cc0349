@testable import MIME
import TestRandom
import Testing

/// The shortcuts for plain subjects and names must give what the full decoders give.
@Suite("Header decoder fast paths")
struct HeaderDecoderFastPathTests {
    /// Random strings over an alphabet rich in the bytes the decoders care about.
    static func samples(count: Int) -> [String] {
        let alphabet: [String] = ["a", "Z", "0", " ", " ", "-", "_", "'", "!", "#", "&", "+", ".", "\"", "=", "?",
                                  "=?utf-8?q?x?=", "=?iso-8859-1?B?/w==?=", "\\", "(", ")", ",", "ü", "\t", "\r\n "]
        var random = SeededRandom(seed: 7)
        var result: [String] = []
        for _ in 0..<count {
            var text = ""
            for _ in 0..<random.next(12) { text += alphabet[random.next(alphabet.count)] }
            result.append(text)
        }
        return result + ["Jane Doe", "O'Brien-Smith", "  padded ", "a  b", "", " ", "AT&T Support"]
    }

    @Test func phrasesMatchTheLexerPath() {
        var shortcuts = 0
        for sample in Self.samples(count: 20_000) {
            var problems: [String] = []
            let full = Phrase.text(of: StructuredLexer(bytes: Array(sample.utf8)).tokens()[...], problems: &problems)
            if MIMEHeaderDecoder.isPlainWords(sample) { shortcuts += 1 }
            let decoded = MIMEHeaderDecoder.decodePhrase(sample)
            #expect(decoded.value == full, "\(sample.debugDescription)")
            #expect(decoded.problems == problems, "\(sample.debugDescription)")
        }
        #expect(shortcuts > 100)
    }

    @Test func unstructuredTextMatchesTheEncodedWordPath() {
        for sample in Self.samples(count: 20_000) {
            var problems: [String] = []
            let full = EncodedWord.decode(utf8: Array(sample.utf8), problems: &problems)
            let decoded = MIMEHeaderDecoder.decode(sample)
            #expect(decoded.value == full, "\(sample.debugDescription)")
            #expect(decoded.problems == problems, "\(sample.debugDescription)")
        }
    }
}
