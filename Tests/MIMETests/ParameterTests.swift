import Testing
@testable import MIME

@Suite("Content-Type / Content-Disposition parameters, RFC 2231")
struct ParameterTests {
    @Test("Content-Type basics")
    func contentType() throws {
        let type = try #require(ContentType.parse("Text/HTML; Charset=\"UTF-8\"; format=flowed (comment)"))
        #expect(type.mimeType == "text/html")
        #expect(type.charset == "UTF-8")
        #expect(type.parameters["FORMAT"] == "flowed")
    }

    @Test("unparseable Content-Type gives nil", arguments: ["", "text", "/plain", "text/", "te xt/plain"])
    func unparseable(value: String) {
        #expect(ContentType.parse(value) == nil)
    }

    @Test("quoted values with escapes and semicolons; unquoted values with spaces")
    func quoting() throws {
        let type = try #require(ContentType.parse("multipart/mixed; boundary=\"a;b\\\"c\"; name=my file.pdf"))
        #expect(type.boundary == "a;b\"c")
        #expect(type.name == "my file.pdf")
    }

    @Test("RFC 2231 continuations with charset and language (the IMAP notes' TITLE example)")
    func continuations() {
        let result = RFC2231.combine([
            ("TITLE*0*", "us-ascii'en'This%20is%20even%20more%20"),
            ("TITLE*1*", "%2A%2A%2Afun%2A%2A%2A%20"),
            ("TITLE*2", "isn't it!"),
        ])
        #expect(result.parameters["title"] == "This is even more ***fun*** isn't it!")
        #expect(result.problems.isEmpty)
    }

    @Test("RFC 2231 filename* in UTF-8 and ISO-8859-1", arguments: [
        ("attachment; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%E2%82%AC.pdf", "Grüße €.pdf"),
        ("attachment; filename*=iso-8859-1'de'Gr%FC%DFe.txt", "Grüße.txt"),
        ("attachment; filename*=utf-8'en'%e6%97%a5%e6%9c%ac.txt", "日本.txt"),
        ("attachment; filename*0*=UTF-8''Gr%C3%BC; filename*1*=%C3%9Fe; filename*2=.txt", "Grüße.txt"),
        // Sections out of order are sorted.
        ("attachment; filename*1=\"two.txt\"; filename*0=\"part-\"", "part-two.txt"),
        // filename* wins over filename.
        ("attachment; filename=\"fallback.txt\"; filename*=UTF-8''%E2%9C%93.txt", "✓.txt"),
        // RFC 2047 inside a quoted filename (Outlook, Thunderbird).
        ("attachment; filename=\"=?UTF-8?B?R3LDvMOfZS5wZGY=?=\"", "Grüße.pdf"),
        // Raw UTF-8 in a quoted filename (RFC 6532 style).
        ("attachment; filename=\"Grüße.pdf\"", "Grüße.pdf"),
        // Invalid percent escapes are kept.
        ("attachment; filename*=UTF-8''100%zz.txt", "100%zz.txt"),
    ])
    func filenames(value: String, expected: String) {
        let disposition = ContentDisposition.parse(value)
        #expect(disposition.kind == "attachment")
        #expect(disposition.filename == expected)
    }

    @Test("a missing continuation section is reported")
    func missingSection() {
        let result = RFC2231.combine([("name*0", "a"), ("name*2", "c")])
        #expect(result.parameters["name"] == "ac")
        #expect(!result.problems.isEmpty)
    }

    @Test("unknown charset in filename* falls back and reports")
    func unknownCharset() {
        let result = RFC2231.combine([("filename*", "x-bogus''caf%C3%A9.txt")])
        #expect(result.parameters["filename"] == "café.txt")
        #expect(result.problems.count == 1)
    }

    @Test("junk parameters give the disposition and the filename a reader would take from them", arguments: [
        // Empty parameters are skipped.
        ("attachment;;;", "attachment", nil, 0),
        // A value without a name and a name without a value are both dropped.
        ("attachment; =x; filename", "attachment", nil, 0),
        // No disposition type is kept as ""; an unterminated quote runs to the end of the value.
        ("; filename=\"unterminated", "", "unterminated", 1),
        // A section number beyond RFC2231.maxSection is no continuation: not a filename.
        ("inline; filename*99999999999999999999=x", "inline", nil, 1),
        // An extended value with empty charset, language and text is an empty filename.
        ("attachment; filename*=''", "attachment", "", 1),
    ] as [(String, String, String?, Int)])
    func junk(value: String, kind: String, filename: String?, parameterCount: Int) {
        let disposition = ContentDisposition.parse(value)
        #expect(disposition.kind == kind)
        #expect(disposition.filename == filename)
        #expect(disposition.parameters.pairs.count == parameterCount)
    }
}
