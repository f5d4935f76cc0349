import Testing
@testable import MIME

@Suite("RFC 2047 encoded words")
struct EncodedWordTests {
    @Test("decodes", arguments: [
        ("=?utf-8?B?R3LDvMOfZQ==?=", "Grüße"),
        ("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=", "Grüße"),
        ("=?iso-8859-1?q?Hello_World?=", "Hello World"),
        ("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=", "ab"),  // adjacent: whitespace dropped
        ("=?ISO-8859-1?Q?a?=\r\n =?ISO-8859-1?Q?b?=", "ab"),  // folded between words
        ("=?ISO-8859-1?Q?a?= b", "a b"),  // word then text keeps the space
        ("a =?ISO-8859-1?Q?b?=", "a b"),
        ("=?ISO-8859-1?Q?a_?= =?ISO-8859-1?Q?_b?=", "a  b"),  // spaces encoded inside words stay
        ("=?utf-8?B?5pel5pys6Kqe?=", "日本語"),
        ("=?utf-8?B?5pel?= =?utf-8?B?5pys?=", "日本"),
        ("=?UTF-8?B?5g==?= =?UTF-8?B?l6U=?=", "日"),  // a character split across two words
        ("=?iso-2022-jp?B?GyRCJEgkcxsoQg==?=", "とん"),
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
        ("=?gb2312?B?xOO6ww==?=", "你好"),
        ("=?big5?B?p0Gmbg==?=", "你好"),
        ("=?shift_jis?B?grGC8Q==?=", "こん"),
        ("=?windows-1251?Q?=CF=F0=E8?=", "При"),
        ("=?utf-8*en?Q?Hi?=", "Hi"),  // RFC 2231 language suffix
        ("plain text", "plain text"),
        ("", ""),
        ("=?ISO-8859-1?Q?\"G=FCnter__Hammerl\"?=", "\"Günter  Hammerl\""),
        ("Re: =?utf-8?Q?caf=C3=A9?= (ok)", "Re: café (ok)"),
        ("=?utf-8?Q?a?==?utf-8?Q?b?=", "ab"),  // glued words
        ("=?iso-8859-1?Q?a?= =?utf-8?Q?=C3=A9?=", "aé"),  // different charsets, still adjacent
    ])
    func decodes(raw: String, expected: String) {
        let result = EncodedWord.decode(raw)
        #expect(result.string == expected)
        #expect(result.problems.isEmpty)
    }

    @Test("broken words are kept as raw text", arguments: [
        "=?utf-8?B?R3LDvMOfZQ==",  // no "?="
        "=?utf-8?X?abc?=",  // unknown encoding letter
        "=??Q?abc?=",  // no charset
        "=?utf-8?Q?has space?=",
        "=?utf-8?Q",
        "=?",
        "=?utf-8?Q?what?_no?=",
    ])
    func broken(raw: String) {
        #expect(EncodedWord.decode(raw).string == raw)
    }

    @Test("unknown charset falls back and is reported")
    func unknownCharset() {
        let result = EncodedWord.decode("=?x-bogus?Q?caf=C3=A9?=")
        #expect(result.string == "café")
        #expect(result.problems.count == 1)
        #expect(result.problems[0].contains("x-bogus"))
    }

    @Test("an encoded word with invalid base64 decodes to nothing; unpadded base64 decodes")
    func junkBase64() {
        #expect(EncodedWord.decode("=?utf-8?B?***?=").string == "")
        #expect(EncodedWord.decode("=?utf-8?B?SGk?=").string == "Hi")
    }

    @Test("many words decode in linear time")
    func manyWords() {
        let raw = Array(repeating: "=?utf-8?B?w6k=?=", count: 20_000).joined(separator: " ")
        let result = EncodedWord.decode(raw)
        #expect(result.string == String(repeating: "é", count: 20_000))
    }

    @Test("pathological =? runs stay linear and keep the text")
    func pathological() {
        let raw = String(repeating: "=?u?q?a=", count: 20_000)
        #expect(EncodedWord.decode(raw).string.count > 0)
    }
}

@Suite("Header decoding (RFC 5322 unfolding, RFC 6532 raw UTF-8)")
struct HeaderDecodingTests {
    @Test("MIMEHeaderDecoder decodes raw bytes and strings")
    func decoder() {
        #expect(MIMEHeaderDecoder.decode(bytes("=?utf-8?Q?caf=C3=A9?=")).value == "café")
        #expect(MIMEHeaderDecoder.decode("Grüße =?utf-8?Q?caf=C3=A9?=").value == "Grüße café")
        let latin = MIMEHeaderDecoder.decode([0x4B, 0xF6, 0x6C, 0x6E])
        #expect(latin.value == "Köln")
        #expect(latin.problems.count == 1)
    }

    @Test("phrase decoding strips wrapping quotes and unescapes", arguments: [
        ("=?ISO-8859-1?Q?\"G=FCnter__Hammerl\"?=", "Günter  Hammerl"),
        ("\"Doe, John\"", "Doe, John"),
        ("\"Joe \\\"the\\\" Dev\"", "Joe \"the\" Dev"),
        ("John   Q.  Public", "John Q. Public"),
        ("\"=?utf-8?B?R3LDvMOfZQ==?=\"", "Grüße"),
    ])
    func phrase(raw: String, expected: String) {
        #expect(MIMEHeaderDecoder.decodePhrase(raw).value == expected)
    }

    @Test("unfolds headers, keeps order and duplicates, reads raw UTF-8")
    func unfolding() {
        let message = MIMEMessage.parse(wire("""
        Subject: a long
         folded\tsubject
        X-Test: one
        x-test: two
        From: Jörg <joerg@example.com>
        X-Empty:

        body
        """))
        #expect(message.subject == "a long folded\tsubject")
        #expect(message.headers.map(\.name) == ["Subject", "X-Test", "x-test", "From", "X-Empty"])
        #expect(message.headers.all(named: "X-TEST").map(\.value) == ["one", "two"])
        #expect(message.headers.first(named: "x-empty")?.value == "")
        #expect(message.from == [MailAddress(name: "Jörg", email: "joerg@example.com")])
        #expect(message.decodingProblems.isEmpty)
        #expect(message.textBody == "body")
    }

    @Test("8-bit latin-1 header is decoded as windows-1252 and reported")
    func latin1Header() {
        let message = MIMEMessage.parse(concat(bytes("Subject: K"), [0xF6], bytes("ln\r\n\r\nx")))
        #expect(message.subject == "Köln")
        #expect(message.decodingProblems.contains { $0.contains("Subject") })
    }

    @Test("a mbox From_ line, bare LF line ends and junk lines are survived")
    func lenientHeader() {
        let message = MIMEMessage.parse(bytes("From ann@example.com Mon Jan  1 00:00:00 2024\nSubject: hi\nthis is junk\nTo: bob@example.com\n\nbody\n"))
        #expect(message.subject == "hi")
        #expect(message.to.map(\.email) == ["bob@example.com"])
        #expect(message.textBody == "body\n")
    }
}
