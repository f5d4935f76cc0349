@testable import MIME
import TestRandom
import Testing

/// The fast path for canonical dates must never disagree with the general parser.
@Suite("Canonical date fast path")
struct CanonicalDateTests {
    /// A deterministic generator, so a failure names an input that can be replayed.
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "DEC"]

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Canonical-looking dates with values in and out of range, in every form both parsers read.
    static func samples(count: Int) -> [String] {
        var random = SeededRandom(seed: 42)
        var result: [String] = []
        for _ in 0..<count {
            let year = [1969, 1970, 1996, 2000, 2024, 2100, 1, 9999, 0][random.next(9)]
            let month = months[random.next(12)]
            let day = [1, 7, 28, 29, 30, 31, 32, 0][random.next(8)]
            let hour = [0, 2, 23, 24][random.next(4)]
            let minute = [0, 44, 59, 60][random.next(4)]
            let second = [0, 25, 59, 60, 61][random.next(5)]
            let zone = ["+0000", "-0000", "-0700", "+0100", "+0530", "+2359", "+2400", "-0060", "+01:00", "GMT", "+01"][random.next(11)]
            let secondsPart = random.next(4) == 0 ? "" : ":\(two(second))"
            let weekday = ["", "Wed, ", "wed,", "Wednesday, ", "Xyz, "][random.next(5)]
            let trailer = ["", " (CET)", "  ", " (a) (b)", " x", "\r\n"][random.next(6)]
            let dayText = random.next(3) == 0 ? "\(day)" : two(day)
            if random.next(3) == 0 {
                let padded = day < 10 && random.next(2) == 0 ? " \(day)" : two(day)
                result.append("\(padded)-\(month)-\(year) \(two(hour)):\(two(minute))\(secondsPart) \(zone)")
            } else {
                result.append("\(weekday)\(dayText) \(month) \(year) \(two(hour)):\(two(minute))\(secondsPart) \(zone)\(trailer)")
            }
        }
        return result
    }

    @Test func agreesWithTheGeneralParser() {
        var fast = 0
        for sample in Self.samples(count: 20_000) {
            let bytes = Array(sample.utf8)
            guard let canonical = CanonicalDateParser.parse(bytes) else { continue }
            fast += 1
            #expect(canonical == MailDateParser.parseLeniently(bytes), "\(sample)")
        }
        // The fast path is taken for the valid canonical ones (most samples are deliberately off).
        #expect(fast > 1_000)  // about 6 % of these samples are valid canonical dates
    }

    @Test(arguments: [
        ("Wed, 14 Jan 2015 21:10:00 +0100", "2015-01-14T21:10:00+01:00"),
        ("14 Jan 2015 21:10 -0000", "2015-01-14T21:10:00-00:00"),
        ("17-Jul-1996 02:44:25 -0700", "1996-07-17T02:44:25-07:00"),
        (" 7-Jul-1996 02:44:25 +0000 ", "1996-07-07T02:44:25+00:00"),
        ("Tue, 1 Jul 2003 10:52:37 +0200 (CEST)", "2003-07-01T10:52:37+02:00"),
    ])
    func canonicalFormsTakeTheFastPath(raw: String, rfc3339: String) throws {
        let parsed = try #require(CanonicalDateParser.parse(Array(raw.utf8)))
        #expect(parsed.rfc3339 == rfc3339)
    }

    @Test(arguments: [
        ("17-Jul-1996 02:44:25 -0700", "1996-07-17T09:44:25Z"),
        (" 1-Jan-2024 00:30:00 +0100", "2023-12-31T23:30:00Z"),
        ("29-Feb-2024 12:00:00 +0000", "2024-02-29T12:00:00Z"),
        ("1 Jan 1970 00:59:59 +0100", "1969-12-31T23:59:59Z"),
        ("1 Jan 0001 00:00:00 +0000", "0001-01-01T00:00:00Z"),
        ("31 Dec 9999 23:59:59 -2359", "10000-01-01T23:58:59Z"),
    ])
    func utc(raw: String, expected: String) throws {
        #expect(try #require(MailDate.parse(raw)).rfc3339UTC == expected)
    }
}
