/// The date-time grammar of RFC 5322 §3.3, read leniently:
///
/// ```
/// date-time = [ day-of-week "," ] date time [CFWS]
/// date      = day month year
/// time      = hour ":" minute [ ":" second ] FWS zone
/// ```
/// Also accepted: obsolete two- and three-digit years, zone names (`GMT`, `UT`, `EST`...),
/// comments anywhere (`(PDT)`), whitespace around colons, missing weekday or seconds,
/// `Jul 17 1996` and asctime order (`Wed Jul 17 02:23:25 1996`), fractional seconds,
/// `+05:30` offsets, `AM`/`PM`, and IMAP's INTERNALDATE (`17-Jul-1996 02:44:25 -0700`).
enum MailDateParser {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Dates longer than this are not dates.
    static let maxLength = 256

    static func parse(_ raw: [UInt8]) -> MailDate? {
        guard raw.count <= maxLength else { return nil }
        return CanonicalDateParser.parse(raw) ?? parseLeniently(raw)
    }

    /// The general parser, for every form; `parse` tries the canonical forms first.
    static func parseLeniently(_ raw: [UInt8]) -> MailDate? {
        guard raw.count <= maxLength else { return nil }
        let words = tokens(raw)
        var day: Int? = nil
        var month: Int? = nil
        var year: Int? = nil
        var time: (hour: Int, minute: Int, second: Int)? = nil
        var offset: Int?? = nil  // .some(nil): offset explicitly unknown
        var meridiem: Int? = nil  // 0 for AM, 12 for PM

        for word in words {
            let lower = String(utf8Bytes: word.asciiLowercased())
            if let first = word.first, (first == ASCII.plus || first == ASCII.minus), word.count > 1,
               word.dropFirst().allSatisfy({ ASCII.isDigit($0) || $0 == ASCII.colon }) {
                guard offset == nil || offset! == nil, let minutes = numericOffset(word) else { return nil }
                // "-0000" means: offset unknown (RFC 5322 §3.3).
                offset = .some(minutes == 0 && first == ASCII.minus ? nil : minutes)
            } else if word.contains(ASCII.colon) {
                guard time == nil, let parsed = parseTime(word) else { return nil }
                time = (parsed.hour, parsed.minute, parsed.second)
                if let zone = parsed.zone {
                    guard let minutes = numericOffset(zone) else { return nil }
                    offset = .some(minutes == 0 && zone.first == ASCII.minus ? nil : minutes)
                }
            } else if word.allSatisfy(ASCII.isDigit) {
                guard word.count <= 4, let number = Int(String(utf8Bytes: word)) else { return nil }
                if word.count <= 2 && day == nil {
                    day = number
                } else if year == nil {
                    switch word.count {
                    case 4: year = number
                    case 3: year = number + 1900
                    default: year = number < 50 ? 2000 + number : 1900 + number
                    }
                } else {
                    return nil
                }
            } else if word.allSatisfy(ASCII.isAlpha) {
                let prefix = String(lower.prefix(3))
                if lower.count >= 3, let index = months.firstIndex(of: prefix), month == nil,
                   lower.count == 3 || Self.fullMonthNames[index].hasPrefix(lower) {
                    month = index + 1
                } else if lower.count >= 3, weekdays.contains(prefix) {
                    continue
                } else if lower == "am" || lower == "pm" {
                    meridiem = lower == "pm" ? 12 : 0
                } else if offset == nil, let minutes = TimeZoneNames.offsets[lower] {
                    offset = .some(minutes)
                } else if offset == nil {
                    // Military letters and unknown names: RFC 5322 §4.3 says treat as "-0000".
                    offset = .some(nil)
                } else if TimeZoneNames.offsets[lower] == nil && !TimeZoneNames.isMilitary(lower) {
                    return nil
                }
            } else {
                return nil
            }
        }

        guard let day, let month, let year, var time else { return nil }
        if let meridiem {
            guard time.hour >= 1 && time.hour <= 12 else { return nil }
            time.hour = time.hour % 12 + meridiem
        }
        guard year >= 1 && year <= 9999,
              day >= 1 && day <= MailDate.daysInMonth(year: year, month: month),
              time.hour <= 23, time.minute <= 59, time.second <= 60
        else { return nil }
        return MailDate(year: year, month: month, day: day, hour: time.hour, minute: time.minute,
                        second: time.second, offsetMinutes: offset ?? nil)
    }

    private static let fullMonthNames = ["january", "february", "march", "april", "may", "june", "july",
                                         "august", "september", "october", "november", "december"]

    /// Words of the date with comments removed, commas as separators, and whitespace around
    /// `:` dropped so that obsolete `02 : 23 : 25` reads as one time.
    static func tokens(_ raw: [UInt8]) -> [[UInt8]] {
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(raw.count)
        var depth = 0
        for byte in raw {
            if byte == ASCII.openParen {
                // A comment separates words: "1996(PDT)" and "Jul(x)17" still split.
                if depth == 0, let last = cleaned.last, last != ASCII.space, last != ASCII.colon { cleaned.append(ASCII.space) }
                depth += 1
                continue
            }
            if byte == ASCII.closeParen, depth > 0 { depth -= 1; continue }
            if depth > 0 { continue }
            if byte == ASCII.comma || ASCII.isWhitespace(byte) {
                // Separators collapse, and never follow a colon.
                if let last = cleaned.last, last != ASCII.space, last != ASCII.colon { cleaned.append(ASCII.space) }
            } else if byte == ASCII.colon {
                while cleaned.last == ASCII.space { cleaned.removeLast() }
                cleaned.append(byte)
            } else {
                cleaned.append(byte)
            }
        }
        var words: [[UInt8]] = []
        for word in cleaned.split(separator: ASCII.space) {
            // IMAP INTERNALDATE style "17-Jul-1996": day, month and year joined by dashes.
            let pieces = word.split(separator: ASCII.minus, omittingEmptySubsequences: false)
            if pieces.count == 3, word.first.map(ASCII.isDigit) == true,
               pieces[0].allSatisfy(ASCII.isDigit), pieces[1].allSatisfy(ASCII.isAlpha), pieces[2].allSatisfy(ASCII.isDigit) {
                words += pieces.map(Array.init)
            } else {
                words.append(Array(word))
            }
        }
        return words
    }

    /// `hh:mm`, `hh:mm:ss`, `hh:mm:ss.fraction`, optionally followed directly by a numeric zone.
    private static func parseTime(_ word: [UInt8]) -> (hour: Int, minute: Int, second: Int, zone: [UInt8]?)? {
        var body = word[...]
        var zone: [UInt8]? = nil
        if let sign = body.firstIndex(where: { $0 == ASCII.plus || $0 == ASCII.minus }) {
            zone = Array(body[sign...])
            body = body[..<sign]
        }
        if let dot = body.firstIndex(of: ASCII.dot) { body = body[..<dot] }  // fractional seconds
        let fields = body.split(separator: ASCII.colon, omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3,
              fields.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(ASCII.isDigit) }),
              let hour = Int(String(utf8Bytes: fields[0])), let minute = Int(String(utf8Bytes: fields[1]))
        else { return nil }
        let second = fields.count == 3 ? Int(String(utf8Bytes: fields[2])) ?? 0 : 0
        return (hour, minute, second, zone)
    }

    /// `+hhmm`, `-hhmm`, `+hh:mm`, `+hh` in minutes east of UTC; nil when malformed.
    private static func numericOffset(_ word: [UInt8]) -> Int? {
        guard let sign = word.first, sign == ASCII.plus || sign == ASCII.minus else { return nil }
        let digits = word.dropFirst().filter { $0 != ASCII.colon }
        guard digits.allSatisfy(ASCII.isDigit), digits.count == 4 || digits.count == 2 else { return nil }
        let value = Int(String(utf8Bytes: digits))!
        let hours = digits.count == 4 ? value / 100 : value
        let minutes = digits.count == 4 ? value % 100 : 0
        guard hours <= 23, minutes <= 59 else { return nil }
        let total = hours * 60 + minutes
        return sign == ASCII.minus ? -total : total
    }
}
