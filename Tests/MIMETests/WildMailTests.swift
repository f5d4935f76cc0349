import Testing
@testable import MIME

/// Mail as Python's `email` package writes it, read the way Python reads it (issue 14): charset
/// labels Python puts into RFC 2047 words, attachments inside attached messages, `NAME <>`.
@Suite("Mail from the wild, compared with Python's email package")
struct WildMailTests {
    /// (label, expected text, the encoded word `email.header.Header(text, label).encode()` wrote
    /// with Python 3.11). Python writes its codec names: gb2312 becomes `eucgb2312_cn`, big5 `big5_tw`.
    static let pythonWords: [(String, String, String)] = [
        ("gb2312", "简体中文邮件", "=?eucgb2312_cn?b?vPLM5dbQzsTTyrz+?="),
        ("big5", "繁體中文郵件", "=?big5_tw?b?wWPF6aSkpOW2bKXz?="),
        ("hz", "简体中文", "=?hz?b?fns8ckxlVlBORH59?="),
        ("euc_cn", "简体中文", "=?euc_cn?b?vPLM5dbQzsQ=?="),
        ("gbk", "简体中文", "=?gbk?b?vPLM5dbQzsQ=?="),
        ("gb18030", "简体中文€", "=?gb18030?b?vPLM5dbQzsSi4w==?="),
        ("cp936", "简体中文", "=?cp936?b?vPLM5dbQzsQ=?="),
        ("utf_8", "简体中文", "=?utf_8?b?566A5L2T5Lit5paH?="),
        ("big5hkscs", "繁體中文", "=?big5hkscs?b?wWPF6aSkpOU=?="),
        ("cp950", "繁體中文", "=?cp950?b?wWPF6aSkpOU=?="),
    ]

    @Test("Python's RFC 2047 words for Chinese charsets decode cleanly", arguments: pythonWords)
    func pythonChineseWords(label: String, text: String, word: String) {
        let message = MIMEMessage.parse(wire("Subject: \(word)\nFrom: a@example.org\n\nbody\n"))
        #expect(message.subject == text, "label \(label)")
        #expect(message.decodingProblems.isEmpty, "label \(label): \(message.decodingProblems)")
    }

    @Test("Every WHATWG label reaches a decoder that iconv (or this module) has")
    func everyWHATWGLabelIsSupported() {
        for encoding in WHATWGEncodingLabels.encodings {
            for label in encoding.labels {
                #expect(Charset.isSupported(label), "\(label) (\(encoding.name))")
            }
        }
    }

    @Test("WHATWG labels iconv does not know by name decode as browsers do")
    func whatwgAliases() {
        // "x-gbk", "csiso58gb231280": GBK; "ksc_5601": windows-949; "x-x-big5": Big5; "dos-874": windows-874.
        #expect(Charset.decode([0xC4, 0xE3, 0xBA, 0xC3], charset: "x-gbk") == ("你好", nil))
        #expect(Charset.decode([0xC4, 0xE3, 0xBA, 0xC3], charset: "csiso58gb231280") == ("你好", nil))
        #expect(Charset.decode([0xBE, 0xC8, 0xB3, 0xE7], charset: "ksc_5601") == ("안녕", nil))
        #expect(Charset.decode([0xA7, 0x41, 0xA6, 0x6E], charset: "x-x-big5") == ("你好", nil))
        #expect(Charset.decode([0xA1, 0xA2], charset: "dos-874") == ("กข", nil))
        #expect(Charset.decode([0x80, 0x81], charset: "x-mac-ukrainian") == ("АБ", nil))
        #expect(Charset.decode([0x41, 0x80, 0xFF], charset: "x-user-defined") == ("A\u{F780}\u{F7FF}", nil))
        #expect(Charset.decode([0xFF, 0xFE, 0x41, 0x00], charset: "utf-16") == ("A", nil))
        #expect(Charset.decode([0xFE, 0xFF, 0x00, 0x41], charset: "utf-16") == ("A", nil))
        #expect(Charset.decode([0x00, 0x41], charset: "utf-16") == ("A", nil))  // RFC 2781: big-endian without BOM
    }

    @Test("HZ-GB-2312: ~{ ~} shifts, ~~, line continuation, and a broken pair reported")
    func hz() {
        // Expected texts are what Python's "hz" codec decodes.
        #expect(Charset.decode(bytes("~{<:Ky2;S{~}"), charset: "HZ-GB-2312") == ("己所不欲", nil))
        #expect(Charset.decode(bytes("a~~b ~{<r~}c~\nd"), charset: "hz") == ("a~b 简cd", nil))
        let broken = Charset.decode(bytes("~{<\u{7F}~}"), charset: "hz")
        #expect(broken.problem != nil)
    }

    @Test("An unknown label: valid UTF-8 is read as UTF-8, anything else as windows-1252, and both are reported")
    func unknownLabelFallbacks() {
        let utf8 = Charset.decode(bytes("Grüße"), charset: "x-no-such-charset")
        #expect(utf8.string == "Grüße")
        #expect(utf8.problem == "unknown charset \"x-no-such-charset\"; decoded as UTF-8")
        let legacy = Charset.decode([0x47, 0x72, 0xFC, 0xDF, 0x65], charset: "x-no-such-charset")
        #expect(legacy.string == "Grüße")
        #expect(legacy.problem == "unknown charset \"x-no-such-charset\"; decoded as windows-1252")
        let message = MIMEMessage.parse(wire("Subject: =?x-no-such-charset?q?Gr=FC=DFe?=\n\nbody\n"))
        #expect(message.subject == "Grüße")
        #expect(message.decodingProblems.contains { $0.contains("unknown charset \"x-no-such-charset\"; decoded as windows-1252") })
    }

    static let nested = """
From: Mail Delivery System <>
To: bob@example.org
Subject: Fwd: Inner
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="===============4644942302037096135=="

--===============4644942302037096135==
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 7bit

see attached

--===============4644942302037096135==
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="outer.bin"
MIME-Version: 1.0

b3V0ZXI=

--===============4644942302037096135==
Content-Type: message/rfc822
Content-Transfer-Encoding: 8bit
MIME-Version: 1.0
Content-Disposition: attachment

From: Ann <ann@example.org>
To: bob@example.org
Subject: Inner
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="===============6351748649353038137=="

--===============6351748649353038137==
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 7bit

inner text

--===============6351748649353038137==
Content-Type: application/pdf
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="inner.pdf"
MIME-Version: 1.0

JVBERi0xLjQgaW5uZXI=

--===============6351748649353038137==
Content-Type: image/png
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="pic.png"
MIME-Version: 1.0

iVBORw==

--===============6351748649353038137==--

--===============4644942302037096135==--
"""

    @Test("Attachments inside an attached message are listed with their IMAP part ids, as Python's walk() finds them")
    func nestedAttachments() {
        let message = MIMEMessage.parse(wire(Self.nested))
        #expect(message.attachments.map(\.partId) == ["2", "3", "3.2", "3.3"])
        #expect(message.attachments.map(\.filename) == ["outer.bin", nil, "inner.pdf", "pic.png"])
        #expect(message.attachments.map(\.contentType) == ["application/octet-stream", "message/rfc822", "application/pdf", "image/png"])
        #expect(message.attachments.map(\.size) == [5, message.attachments[1].size, 14, 4])
        #expect(message.textBody == "see attached\n")
        #expect(message.attachedMessages.first?.message.subject == "Inner")
        #expect(message.decodingProblems.isEmpty)
    }

    @Test("Attachments two attached messages deep get ids like 2.2.2")
    func doublyNested() {
        let innermost = "Subject: deep\nContent-Type: multipart/mixed; boundary=c\n\n--c\n\ntext\n--c\nContent-Type: text/csv; name=d.csv\n\n1,2\n--c--\n"
        let middle = "Subject: mid\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nmid text\n--b\nContent-Type: message/rfc822\n\n\(innermost)--b--\n"
        let outer = "Subject: top\nContent-Type: multipart/mixed; boundary=a\n\n--a\n\ntop text\n--a\nContent-Type: message/rfc822\n\n\(middle)--a--\n"
        let message = MIMEMessage.parse(wire(outer))
        #expect(message.attachments.map(\.partId) == ["2", "2.2", "2.2.2"])
        #expect(message.attachments.last?.filename == "d.csv")
    }

    @Test("From: NAME <> keeps the display name with an empty address, a bare <> is nobody", arguments: [
        ("Mail Delivery System <>", [MailAddress(name: "Mail Delivery System", email: "")]),
        ("\"Postmaster\" <>, b@example.org", [MailAddress(name: "Postmaster", email: ""), MailAddress(name: nil, email: "b@example.org")]),
        ("<>", []),
        ("=?utf-8?q?J=C3=BCrgen?= <>", [MailAddress(name: "Jürgen", email: "")]),
    ])
    func emptyAddress(raw: String, expected: [MailAddress]) {
        #expect(AddressList.parse(raw) == expected)
        let message = MIMEMessage.parse(wire("From: \(raw)\n\nbody\n"))
        #expect(message.from == expected)
    }
}
