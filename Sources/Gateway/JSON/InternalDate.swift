import Foundation

/// IMAP INTERNALDATE (`"17-Jul-1996 02:44:25 -0700"`, RFC 3501 `date-time`) as RFC 3339 UTC.
enum InternalDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `1996-07-17T09:44:25Z`, or nil when the text is not an INTERNALDATE.
    static func rfc3339(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        // Day may be space-padded (`date-day-fixed`); split on "-", " " and ":". That also eats the
        // sign of a negative zone ("-0700"), so the sign is read from the text's end below.
        var parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" })
        if parts.count == 7, parts[6].hasPrefix("+") { parts[6] = parts[6].dropFirst() }
        guard parts.count == 7,
              let day = Int(parts[0]), let monthIndex = months.firstIndex(of: parts[1].lowercased()),
              let year = Int(parts[2]), let hour = Int(parts[3]), let minute = Int(parts[4]),
              let second = Int(parts[5]), parts[6].count == 4, let zone = Int(parts[6]),
              (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let zoneSign = text.hasSuffix("-" + parts[6]) ? -1 : 1
        let offsetSeconds = zoneSign * ((zone / 100) * 3600 + (zone % 100) * 60)
        let localSeconds = daysFromCivil(year: year, month: monthIndex + 1, day: day) * 86_400
            + hour * 3600 + minute * 60 + second
        return format(epochSeconds: localSeconds - offsetSeconds)
    }

    /// Seconds since 1970 → `YYYY-MM-DDTHH:MM:SSZ`.
    static func format(epochSeconds: Int) -> String {
        let days = Int((Double(epochSeconds) / 86_400).rounded(.down))
        let secondsOfDay = epochSeconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60))Z"
    }

    // Howard Hinnant's algorithms: proleptic Gregorian calendar <-> days since 1970-01-01.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
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
}
