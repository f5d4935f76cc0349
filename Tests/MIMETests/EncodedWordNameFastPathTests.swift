@testable import MIME
import TestRandom
import Testing

/// The shortcut for names that are one UTF-8 encoded word must give what the lexer path gives.
@Suite("Encoded-word name fast path")
struct EncodedWordNameFastPathTests {
    /// Single-word names and near misses: both encodings, any case, payloads with spaces,
    /// quotes, invalid UTF-8, broken base64, question marks, and trailing or leading text.
    static func samples(count: Int) -> [String] {
        let payloadAlphabet: [String] = ["a", "Z", "0", "=", "_", "+", "/", "=C3=A9", "=FF", "=22", "=20", "?", " ",
                                         "Q2hsb8Opx", "IER1Ym9pcw==", "Ig==", "IA==", "8J+YgA==", "(", ".", "\""]
        let prefixes = ["=?UTF-8?B?", "=?utf-8?q?", "=?Utf-8?b?", "=?UTF-8?Q?", "=?UTF8?B?", "=?UTF-8*en?B?",
                        "=?ISO-8859-1?Q?", "=?UTF-8?X?", " =?UTF-8?B?", "x=?UTF-8?B?"]
        let suffixes = ["?=", "?=", "?=", "?= ", "?=x", "?", "?= =?UTF-8?B?QQ==?="]
        var random = SeededRandom(seed: 11)
        func next(_ bound: Int) -> Int { random.next(bound) }
        var result: [String] = []
        for _ in 0..<count {
            var text = prefixes[next(prefixes.count)]
            for _ in 0..<next(6) { text += payloadAlphabet[next(payloadAlphabet.count)] }
            text += suffixes[next(suffixes.count)]
            result.append(text)
        }
        return result + ["=?UTF-8?B?Q2hsb8OpIER1Ym9pcw==?=", "=?UTF-8?B?RnJhbmsgTcO8bGxlcg==?=",
                         "=?utf-8?Q?Fr=C3=A9d=C3=A9ric_Dupont?=", "=?UTF-8?B?IkFubmEgTWFyaWEi?=",
                         "=?UTF-8?B??=", "=?UTF-8?Q?=FF?=", "=?UTF-8?Q?_x_?="]
    }

    @Test func singleWordsMatchTheLexerPath() {
        var shortcuts = 0
        for sample in Self.samples(count: 20_000) {
            var problems: [String] = []
            let full = Phrase.text(of: StructuredLexer(bytes: Array(sample.utf8)).tokens()[...], problems: &problems)
            if MIMEHeaderDecoder.singleUTF8Word(sample) != nil { shortcuts += 1 }
            let decoded = MIMEHeaderDecoder.decodePhrase(sample)
            #expect(decoded.value == full, "\(sample.debugDescription)")
            #expect(decoded.problems == problems, "\(sample.debugDescription)")
        }
        #expect(shortcuts > 500)
    }

    @Test func commonNamesTakeTheShortcut() {
        #expect(MIMEHeaderDecoder.singleUTF8Word("=?UTF-8?B?Q2hsb8OpIER1Ym9pcw==?=") == "Chloé Dubois")
        #expect(MIMEHeaderDecoder.singleUTF8Word("=?utf-8?q?Fr=C3=A9d=C3=A9ric_Dupont?=") == "Frédéric Dupont")
        #expect(MIMEHeaderDecoder.singleUTF8Word("=?UTF-8?B?IkFubmEgTWFyaWEi?=") == nil)  // wrapped in quotes
    }
}
