import Testing
@testable import MIME

@Suite("Walking multipart messages")
struct MultipartTests {
    static let nested = wire("""
    From: "Doe, John" <john@example.com>
    To: Ann <ann@example.com>, team: bob@example.com, carl@example.com;
    Cc: =?utf-8?Q?J=C3=B6rg?= <joerg@example.com>
    Subject: =?utf-8?B?UmU6IEdyw7zDn2U=?=
    Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)
    Message-ID: <m1@example.com>
    In-Reply-To: <m0@example.com>
    References: <r1@example.com>
     <m0@example.com>
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="outer"

    This is the preamble.
    --outer
    Content-Type: multipart/alternative; boundary=inner

    --inner
    Content-Type: text/plain; charset=iso-8859-1
    Content-Transfer-Encoding: quoted-printable

    Gr=FC=DFe aus K=F6ln,=
     Welt
    --inner
    Content-Type: text/html; charset=utf-8
    Content-Transfer-Encoding: base64

    PHA+R3LDvMOfZTwvcD4=
    --inner--
    --outer
    Content-Type: application/pdf; name="fallback.pdf"
    Content-Disposition: attachment; filename*=UTF-8''Bericht%20%E2%82%AC.pdf
    Content-Transfer-Encoding: base64

    AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw==
    --outer
    Content-Type: image/png; name=logo.png
    Content-ID: <logo@example.com>
    Content-Transfer-Encoding: base64

    iVBORw0KGgo=
    --outer--
    This is the epilogue.
    """)

    @Test("headers, addresses, ids and date of a full message")
    func envelope() {
        let message = MIMEMessage.parse(Self.nested)
        #expect(message.subject == "Re: Grüße")
        #expect(message.from == [MailAddress(name: "Doe, John", email: "john@example.com")])
        #expect(message.to.map(\.email) == ["ann@example.com", "bob@example.com", "carl@example.com"])
        #expect(message.to.first?.name == "Ann")
        #expect(message.cc == [MailAddress(name: "Jörg", email: "joerg@example.com")])
        #expect(message.bcc.isEmpty && message.replyTo.isEmpty && message.sender.isEmpty)
        #expect(message.messageId == "<m1@example.com>")
        #expect(message.inReplyTo == "<m0@example.com>")
        #expect(message.references == ["<r1@example.com>", "<m0@example.com>"])
        #expect(message.date?.rfc3339 == "1996-07-17T02:23:25-07:00")
        #expect(message.decodingProblems.isEmpty, "\(message.decodingProblems)")
    }

    @Test("multipart/alternative inside multipart/mixed: bodies, attachments and part ids")
    func nestedAlternative() {
        let message = MIMEMessage.parse(Self.nested)
        #expect(message.textBody == "Grüße aus Köln, Welt")
        #expect(message.htmlBody == "<p>Grüße</p>")
        #expect(message.parts.map(\.partId) == ["1.1", "1.2", "2", "3"])
        #expect(message.parts.map(\.role) == [.text, .html, .attachment, .attachment])
        #expect(message.attachments == [
            MIMEAttachment(partId: "2", filename: "Bericht €.pdf", contentType: "application/pdf", size: 40,
                           disposition: "attachment", contentId: nil, transferEncoding: .base64),
            MIMEAttachment(partId: "3", filename: "logo.png", contentType: "image/png", size: 8,
                           disposition: "inline", contentId: "logo@example.com", transferEncoding: .base64),
        ])
        #expect(message.hasAttachment)
        #expect(message.preview == "Grüße aus Köln, Welt")
    }

    @Test("a non-multipart message's only body is part 1")
    func singlePart() {
        let message = MIMEMessage.parse(wire("""
        Subject: plain
        Content-Type: text/plain; charset=koi8-r
        Content-Transfer-Encoding: base64

        8NLJ18XU
        """))
        #expect(message.textBody == "Привет")
        #expect(message.parts.map(\.partId) == ["1"])
        #expect(message.attachments.isEmpty)
        #expect(!message.hasAttachment)
    }

    @Test("a message without any header lines is all body")
    func noHeaders() {
        let message = MIMEMessage.parse(wire("\nJust a body\n"))
        #expect(message.headers.isEmpty)
        #expect(message.textBody == "Just a body\n")
    }

    @Test("message/rfc822 attachments are walked into with N.1, N.2 part ids")
    func attachedMessage() throws {
        let message = MIMEMessage.parse(wire("""
        Subject: outer
        Content-Type: multipart/mixed; boundary=b1

        --b1
        Content-Type: text/plain

        See attached.
        --b1
        Content-Type: message/rfc822
        Content-Disposition: attachment; filename="forwarded.eml"

        Subject: =?iso-8859-1?Q?inner_=E4?=
        From: Inner <inner@example.com>
        Date: Fri, 21 Nov 1997 09:55:06 -0600
        Content-Type: multipart/mixed; boundary=b2

        --b2
        Content-Type: text/plain

        inner text
        --b2
        Content-Type: application/octet-stream; name=data.bin

        12345
        --b2--
        --b1
        Content-Type: message/rfc822

        Subject: single

        only body
        --b1--
        """))
        #expect(message.textBody == "See attached.")
        // The attached message's own file (2.2) follows it, as Python's email walk() finds it.
        #expect(message.attachments.map(\.partId) == ["2", "2.2", "3"])
        #expect(message.attachments[0].contentType == "message/rfc822")
        #expect(message.attachments[0].filename == "forwarded.eml")
        #expect(message.parts.map(\.role) == [.text, .message, .message])
        #expect(message.attachedMessages.count == 2)

        let inner = message.attachedMessages[0]
        #expect(inner.partId == "2")
        #expect(inner.message.subject == "inner ä")
        #expect(inner.message.from == [MailAddress(name: "Inner", email: "inner@example.com")])
        #expect(inner.message.date?.rfc3339 == "1997-11-21T09:55:06-06:00")
        #expect(inner.message.textBody == "inner text")
        #expect(inner.message.parts.map(\.partId) == ["2.1", "2.2"])
        #expect(inner.message.attachments.first?.filename == "data.bin")
        #expect(inner.message.attachments.first?.size == 5)

        let single = message.attachedMessages[1]
        #expect(single.message.parts.map(\.partId) == ["3.1"])
        #expect(single.message.textBody == "only body")
        #expect(message.decodingProblems.isEmpty, "\(message.decodingProblems)")
    }

    @Test("multipart/related with inline images by Content-ID, three levels deep")
    func related() {
        let message = MIMEMessage.parse(wire("""
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: multipart/related; boundary=r

        --r
        Content-Type: multipart/alternative; boundary=a

        --a
        Content-Type: text/plain

        text
        --a
        Content-Type: text/html

        <img src="cid:bike">
        --a--
        --r
        Content-Type: image/jpeg; name="bike.jpeg"
        Content-ID: <bike>
        Content-Disposition: inline; filename="bike.jpeg"
        Content-Transfer-Encoding: base64

        /9j/4AAQ
        --r--
        --m
        Content-Type: text/calendar; method=REQUEST

        BEGIN:VCALENDAR
        --m--
        """))
        #expect(message.parts.map(\.partId) == ["1.1.1", "1.1.2", "1.2", "2"])
        #expect(message.textBody == "text")
        #expect(message.htmlBody == "<img src=\"cid:bike\">")
        let image = message.attachments[0]
        #expect(image.partId == "1.2")
        #expect(image.contentId == "bike")
        #expect(image.disposition == "inline")
        #expect(image.filename == "bike.jpeg")
        #expect(image.size == 6)
        #expect(message.attachments[1].contentType == "text/calendar")
        #expect(message.attachments[1].disposition == "attachment")
    }

    @Test("truncated message: closing boundary missing is reported, parts kept")
    func truncated() {
        let message = MIMEMessage.parse(wire("""
        Content-Type: multipart/mixed; boundary=t

        --t
        Content-Type: text/plain

        first
        --t
        Content-Type: application/pdf
        Content-Transfer-Encoding: base64

        AAEC
        """))
        #expect(message.textBody == "first")
        #expect(message.attachments.map(\.partId) == ["2"])
        #expect(message.attachments.first?.size == 3)
        #expect(message.decodingProblems.contains { $0.contains("closing boundary missing") })
    }

    @Test("truncated inside the header: everything is header, no crash")
    func truncatedHeader() {
        let message = MIMEMessage.parse(bytes("Subject: cut\r\nFrom: a@b.c\r\nContent-Type: multipart/mixed; bound"))
        #expect(message.subject == "cut")
        #expect(message.from.map(\.email) == ["a@b.c"])
    }

    @Test("multipart without boundary parameter falls back to text and reports")
    func missingBoundaryParameter() {
        let message = MIMEMessage.parse(wire("""
        Content-Type: multipart/mixed

        just text
        """))
        #expect(message.textBody == "just text")
        #expect(message.parts.map(\.partId) == ["1"])
        #expect(!message.decodingProblems.isEmpty)
    }

    @Test("boundary that never occurs falls back to text and reports")
    func boundaryNeverOccurs() {
        let message = MIMEMessage.parse(wire("""
        Content-Type: multipart/mixed; boundary=nope

        --other
        text
        """))
        #expect(message.textBody == "--other\ntext")
        #expect(!message.decodingProblems.isEmpty)
    }

    @Test("a boundary that is a prefix of a longer line does not split; transport padding is accepted")
    func boundaryPrefix() {
        let message = MIMEMessage.parse(wire("""
        Content-Type: multipart/mixed; boundary=abc

        --abc   
        Content-Type: text/plain

        --abcdef is not a delimiter
        --abc--  
        """))
        #expect(message.textBody == "--abcdef is not a delimiter")
        #expect(message.decodingProblems.isEmpty, "\(message.decodingProblems)")
    }

    @Test("bare LF line ends throughout")
    func bareLF() {
        let message = MIMEMessage.parse(bytes("Content-Type: multipart/alternative; boundary=x\n\n--x\nContent-Type: text/plain\n\nhello\n--x\nContent-Type: text/html\n\n<b>hi</b>\n--x--\n"))
        #expect(message.textBody == "hello")
        #expect(message.htmlBody == "<b>hi</b>")
    }

    @Test("multipart/digest parts default to message/rfc822")
    func digest() {
        let message = MIMEMessage.parse(wire("""
        Content-Type: multipart/digest; boundary=d

        --d

        Subject: one

        first
        --d--
        """))
        #expect(message.attachedMessages.first?.message.subject == "one")
        #expect(message.attachedMessages.first?.message.parts.map(\.partId) == ["1.1"])
    }

    @Test("text parts with a filename or attachment disposition are attachments")
    func textAttachment() {
        let message = MIMEMessage.parse(wire("""
        Content-Type: multipart/mixed; boundary=q

        --q
        Content-Type: text/plain

        body
        --q
        Content-Type: text/plain; name="notes.txt"

        notes
        --q
        Content-Type: text/html
        Content-Disposition: attachment

        <p>page</p>
        --q--
        """))
        #expect(message.textBody == "body")
        #expect(message.htmlBody == nil)
        #expect(message.attachments.map(\.filename) == ["notes.txt", nil])
        #expect(message.attachments.map(\.disposition) == ["attachment", "attachment"])
    }

    @Test("body charsets are decoded and reported when wrong")
    func bodyCharsetProblems() {
        let message = MIMEMessage.parse(concat(wire("Content-Type: text/plain; charset=x-martian\n\n"), [0x4B, 0xF6, 0x6C, 0x6E]))
        #expect(message.textBody == "Köln")
        #expect(message.decodingProblems.contains { $0.contains("x-martian") })
    }

    @Test("unparseable Date is nil and reported")
    func badDate() {
        let message = MIMEMessage.parse(wire("Date: someday\n\nx"))
        #expect(message.date == nil)
        #expect(message.decodingProblems.contains { $0.contains("Date") })
    }

    @Test("HTML without a charset parameter uses its <meta> declaration")
    func htmlMetaCharset() {
        let message = MIMEMessage.parse(concat(wire("Content-Type: text/html\n\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"><p>"), [0xF0, 0xD2, 0xC9], bytes("</p>")))
        #expect(message.htmlBody?.hasSuffix("<p>При</p>") == true)
        #expect(message.decodingProblems.isEmpty)
        #expect(HTMLText.declaredCharset(bytes("<meta charset='UTF-8'>")) == "utf-8")
        #expect(HTMLText.declaredCharset(bytes("<p>no declaration</p>")) == nil)
    }

    @Test("HTML-only message previews its text")
    func htmlPreview() {
        let message = MIMEMessage.parse(wire("""
        Content-Type: text/html

        <html><head><style>p{}</style></head><body><p>Hello&nbsp;&amp;
          welcome</p><!-- hidden --></body></html>
        """))
        #expect(message.textBody == nil)
        #expect(message.preview == "Hello & welcome")
    }

    @Test("an unknown transfer encoding is passed through and reported")
    func unknownEncoding() {
        let message = MIMEMessage.parse(wire("""
        Content-Transfer-Encoding: x-uuencode

        begin 644 x
        """))
        #expect(message.textBody == "begin 644 x")
        #expect(message.decodingProblems.contains { $0.contains("x-uuencode") })
    }
}

@Suite("Locating a section by IMAP part id")
struct SectionTests {
    @Test("every part id reported by parse locates the same part", arguments: ["1.1", "1.2", "2", "3"])
    func roundTrip(partId: String) throws {
        let message = MIMEMessage.parse(MultipartTests.nested)
        let part = try #require(message.parts.first { $0.partId == partId })
        let section = try #require(MIMEMessage.section(partId, in: MultipartTests.nested))
        #expect(section.contentType == part.contentType)
        #expect(section.decodedBody.count == part.size)
    }

    @Test("decoded content of an attachment and an inline image")
    func content() throws {
        let pdf = try #require(MIMEMessage.section("2", in: MultipartTests.nested))
        #expect(pdf.decodedBody == (0..<40).map(UInt8.init))
        #expect(pdf.filename == "Bericht €.pdf")
        let logo = try #require(MIMEMessage.section("3", in: MultipartTests.nested))
        #expect(logo.decodedBody == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(logo.headers.first(named: "Content-ID")?.value == "<logo@example.com>")
    }

    @Test("sections inside attached messages and of single-part messages")
    func nestedSections() throws {
        let raw = wire("""
        Content-Type: multipart/mixed; boundary=b1

        --b1
        Content-Type: text/plain

        outer
        --b1
        Content-Type: message/rfc822

        Subject: inner
        Content-Type: multipart/mixed; boundary=b2

        --b2
        Content-Type: text/plain

        inner text
        --b2
        Content-Type: text/plain; name=a.txt
        Content-Transfer-Encoding: base64

        YWJj
        --b2--
        --b1--
        """)
        #expect(MIMEMessage.section("2.1", in: raw)?.decodedBody == bytes("inner text"))
        #expect(MIMEMessage.section("2.2", in: raw)?.decodedBody == bytes("abc"))
        #expect(MIMEMessage.section("2", in: raw)?.contentType.mimeType == "message/rfc822")
        #expect(MIMEMessage.section("3", in: raw) == nil)
        #expect(MIMEMessage.section("1.1", in: raw) == nil)
        #expect(MIMEMessage.section("0", in: raw) == nil)
        #expect(MIMEMessage.section("x", in: raw) == nil)
        #expect(MIMEMessage.section("1", in: wire("Subject: s\n\nbody"))?.decodedBody == bytes("body"))
        #expect(MIMEMessage.section("2", in: wire("Subject: s\n\nbody")) == nil)
    }
}
