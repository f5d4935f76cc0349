import Foundation

/// The moment a `Date` header names, with the header's own UTC offset kept.
public struct MailDate: Sendable, Hashable, Comparable {
    /// Four-digit year (obsolete two- and three-digit years already expanded).
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of the month, 1–31.
    public var day: Int
    /// Hour in the header's zone, 0–23.
    public var hour: Int
    /// Minute, 0–59.
    public var minute: Int
    /// Second, 0–60 (60 for a leap second); 0 when the header had none.
    public var second: Int
    /// Minutes east of UTC as written in the header; nil when the header says the offset is
    /// unknown (`-0000`, an unknown zone name, military letters, or no zone at all).
    public var offsetMinutes: Int?

    /// A date-time as written in a header (no validation).
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offsetMinutes: Int?) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.offsetMinutes = offsetMinutes
    }

    /// Parses an RFC 5322 date-time, tolerating obsolete forms (RFC 5322 §4.3) and common
    /// deviations. Returns nil for anything it cannot read with certainty: never a made-up time.
    public static func parse(_ value: String) -> MailDate? {
        MailDateParser.parse(Array(value.utf8))
    }

    /// RFC 3339 with the header's offset, e.g. `2015-01-14T21:10:00+01:00`; an unknown offset
    /// is written `-00:00` (RFC 3339 §4.3: UTC time known, local offset unknown).
    public var rfc3339: String {
        var text = RFC3339Text()
        text.appendDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        text.appendOffset(minutes: offsetMinutes)
        return text.string
    }

    /// The same instant in UTC, e.g. `2015-01-14T20:10:00Z` (an unknown offset counts as UTC).
    public var rfc3339UTC: String {
        let seconds = secondsSince1970
        let days = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
        let secondsOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = Self.civilFromDays(days)
        var text = RFC3339Text()
        text.appendDateTime(year: year, month: month, day: day, hour: secondsOfDay / 3600,
                            minute: secondsOfDay / 60 % 60, second: secondsOfDay % 60)
        text.appendZ()
        return text.string
    }

    /// Seconds since 1970-01-01T00:00:00Z (an unknown offset counts as UTC; a leap second as :59 + 1).
    public var secondsSince1970: Int64 {
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return local - Int64((offsetMinutes ?? 0) * 60)
    }

    /// The instant as a Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    /// Orders by instant, regardless of offset.
    public static func < (lhs: MailDate, rhs: MailDate) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }


    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
