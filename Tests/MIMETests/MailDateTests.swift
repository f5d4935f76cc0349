import Testing
@testable import MIME

@Suite("Date header to RFC 3339")
struct MailDateTests {
    @Test("parses", arguments: [
        ("Wed, 14 Jan 2015 21:10:00 +0000", "2015-01-14T21:10:00+00:00"),
        ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)", "1996-07-17T02:23:25-07:00"),
        ("17 Jul 1996 02:23:25 -0700", "1996-07-17T02:23:25-07:00"),  // no weekday
        ("Thu, 13 Feb 1969 23:32 -0330", "1969-02-13T23:32:00-03:30"),  // no seconds
        ("Fri, 21 Nov 1997 09:55:06 +0530", "1997-11-21T09:55:06+05:30"),
        ("Fri, 21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06+00:00"),  // two-digit year, GMT
        ("Fri, 21 Nov 03 09:55:06 UT", "2003-11-21T09:55:06+00:00"),
        ("21 Nov 103 09:55:06 UTC", "2003-11-21T09:55:06+00:00"),  // three-digit year
        ("Mon, 1 Jan 2024 10:00:00 EST", "2024-01-01T10:00:00-05:00"),
        ("Mon, 1 Jan 2024 10:00:00 EDT", "2024-01-01T10:00:00-04:00"),
        ("Mon, 1 Jan 2024 10:00:00 PST", "2024-01-01T10:00:00-08:00"),
        ("Mon, 1 Jan 2024 10:00:00 CDT", "2024-01-01T10:00:00-05:00"),
        ("Mon, 1 Jan 2024 10:00:00 MST", "2024-01-01T10:00:00-07:00"),
        ("Mon, 1 Jan 2024 10:00:00 -0000", "2024-01-01T10:00:00-00:00"),  // offset unknown
        ("Mon, 1 Jan 2024 10:00:00 A", "2024-01-01T10:00:00-00:00"),  // military zone: unknown
        ("Mon, 1 Jan 2024 10:00:00", "2024-01-01T10:00:00-00:00"),  // no zone: unknown
        ("Mon , 1 Jan 2024 10 : 00 : 00 +0100", "2024-01-01T10:00:00+01:00"),  // obsolete whitespace
        ("1 January 2024 10:00:00 +0100", "2024-01-01T10:00:00+01:00"),  // full month name
        ("Tue, 29 Feb 2000 23:59:60 +0000", "2000-02-29T23:59:60+00:00"),  // leap year, leap second
        ("Wed Jul 17 02:23:25 1996", "1996-07-17T02:23:25-00:00"),  // asctime
        ("Wed, 17 Jul 1996 02:23:25.123 +0200", "1996-07-17T02:23:25+02:00"),  // fractional seconds
        ("Wed, 17 Jul 1996 02:23:25 +02:00", "1996-07-17T02:23:25+02:00"),
        ("Wed, 17 Jul 1996 2:23:25 PM +0000", "1996-07-17T14:23:25+00:00"),
        ("wed, 17 jul 1996 02:23:25 +0200 (CEST)", "1996-07-17T02:23:25+02:00"),
        ("Wed, 17 Jul 1996 02:23:25 CEST", "1996-07-17T02:23:25+02:00"),
        ("  Wed,\r\n 17 Jul 1996 02:23:25 +0000  ", "1996-07-17T02:23:25+00:00"),
        ("17-Jul-1996 02:44:25 -0700", "1996-07-17T02:44:25-07:00"),  // IMAP INTERNALDATE
        (" 7-Jul-1996 02:44:25 +0000", "1996-07-07T02:44:25+00:00"),
    ])
    func parses(raw: String, expected: String) {
        #expect(MailDate.parse(raw)?.rfc3339 == expected)
    }

    @Test("unparseable gives nil, never a made-up time", arguments: [
        "",
        "yesterday",
        "Wed, 17 Jul 1996",  // no time
        "Wed, 31 Feb 2024 10:00:00 +0000",  // no such day
        "Wed, 17 Jul 1996 25:00:00 +0000",
        "Wed, 17 Jul 1996 10:61:00 +0000",
        "Wed, 17 Foo 1996 10:00:00 +0000",
        "Wed, 17 Jul 1996 10:00:00 +9999",
        "17 Jul 10:00:00 +0000",  // no year
        "Wed, 17 Jul 1996 10:00:00 +0000 +0100",
        "1 2 3 4 5",
        "Sat, 29 Feb 2025 10:00:00 +0000",  // not a leap year
    ])
    func unparseable(raw: String) {
        #expect(MailDate.parse(raw) == nil)
    }

    @Test("instants compare across offsets")
    func instants() throws {
        let a = try #require(MailDate.parse("Wed, 14 Jan 2015 21:10:00 +0000"))
        let b = try #require(MailDate.parse("Wed, 14 Jan 2015 22:10:00 +0100"))
        #expect(a.secondsSince1970 == 1_421_269_800)
        #expect(a.secondsSince1970 == b.secondsSince1970)
        #expect(a.date == b.date)
        #expect(a.offsetMinutes == 0 && b.offsetMinutes == 60)
    }
}
