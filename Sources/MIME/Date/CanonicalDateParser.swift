/// The two date forms nearly every message carries, read straight from the bytes:
///
/// ```
/// RFC 5322:     [Wed, ]14 Jan 2015 21:10[:00] +0100 [(CET)]
/// INTERNALDATE: 17-Jul-1996 02:44:25 -0700     (day may be space-padded: " 7-Jul-1996")
/// ```
///
/// A message list formats two dates per message, and the general lenient parser (tokens, a
/// String per word) cost more than the rest of a summary. Anything that is not exactly one of
/// these forms, or not a valid date, gives nil here and goes to `MailDateParser`, so results
/// are the general parser's by construction; a differential test holds the two together.
enum CanonicalDateParser {
    static func parse(_ raw: [UInt8]) -> MailDate? {
        raw.withUnsafeBufferPointer { bytes in
            var reader = Reader(bytes: bytes)
            return reader.date()
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func date() -> MailDate? {
            skipSpaces()  // also the pad of a space-padded INTERNALDATE day (" 7-Jul-1996")
            // Optional weekday: three letters and a comma.
            if index + 4 <= bytes.count, ASCII.isAlpha(bytes[index]), bytes[index + 3] == ASCII.comma {
                guard Self.weekday(bytes[index], bytes[index + 1], bytes[index + 2]) else { return nil }
                index += 4
                skipSpaces()
            }
            guard let day = number(minDigits: 1, maxDigits: 2) else { return nil }
            let dashed = peek(ASCII.minus)
            guard consume(dashed ? ASCII.minus : ASCII.space), let month = month(),
                  consume(dashed ? ASCII.minus : ASCII.space), let year = number(minDigits: 4, maxDigits: 4),
                  consume(ASCII.space), let hour = number(minDigits: 2, maxDigits: 2), consume(ASCII.colon),
                  let minute = number(minDigits: 2, maxDigits: 2)
            else { return nil }
            var second = 0
            if consume(ASCII.colon) {
                guard let value = number(minDigits: 2, maxDigits: 2) else { return nil }
                second = value
            } else if dashed {
                return nil
            }
            guard consume(ASCII.space), index < bytes.count else { return nil }
            let sign = bytes[index]
            guard sign == ASCII.plus || sign == ASCII.minus else { return nil }
            index += 1
            guard let zone = number(minDigits: 4, maxDigits: 4) else { return nil }
            // Only a trailing comment such as "(CET)" may follow; nothing else is canonical.
            skipSpaces()
            if index < bytes.count {
                guard !dashed, bytes[index] == ASCII.openParen, bytes[bytes.count - 1] == ASCII.closeParen else { return nil }
                for byte in bytes[(index + 1)..<(bytes.count - 1)] where byte == ASCII.openParen || byte == ASCII.closeParen {
                    return nil
                }
            }
            let zoneHours = zone / 100
            let zoneMinutes = zone % 100
            guard year >= 1, day >= 1, day <= MailDate.daysInMonth(year: year, month: month),
                  hour <= 23, minute <= 59, second <= 60, zoneHours <= 23, zoneMinutes <= 59
            else { return nil }
            let magnitude = zoneHours * 60 + zoneMinutes
            // "-0000": the offset is unknown (RFC 5322 §3.3).
            let offset: Int? = sign == ASCII.minus ? (magnitude == 0 ? nil : -magnitude) : magnitude
            return MailDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                            offsetMinutes: offset)
        }

        private mutating func skipSpaces() {
            while index < bytes.count, ASCII.isWSP(bytes[index]) { index += 1 }
        }

        private func peek(_ byte: UInt8) -> Bool {
            index < bytes.count && bytes[index] == byte
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard peek(byte) else { return false }
            index += 1
            return true
        }

        private mutating func number(minDigits: Int, maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maxDigits, index < bytes.count, ASCII.isDigit(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                count += 1
            }
            // A digit right after the widest field means a longer number: not canonical.
            guard count >= minDigits, index >= bytes.count || !ASCII.isDigit(bytes[index]) else { return nil }
            return value
        }

        /// A three-letter English month name, any case; 1–12.
        private mutating func month() -> Int? {
            guard index + 3 <= bytes.count,
                  let month = Self.months.firstIndex(of: Self.key(bytes[index], bytes[index + 1], bytes[index + 2]))
            else { return nil }
            index += 3
            // "July" and other longer spellings go to the general parser.
            if index < bytes.count, ASCII.isAlpha(bytes[index]) { return nil }
            return month + 1
        }

        private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map(key)
        private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(key)

        private static func weekday(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
            weekdays.contains(key(a, b, c))
        }

        /// Three letters, any case, as one number to compare.
        private static func key(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 {
            (UInt32(ASCII.lowercased(a)) << 16) | (UInt32(ASCII.lowercased(b)) << 8) | UInt32(ASCII.lowercased(c))
        }

        private static func key(_ name: String) -> UInt32 {
            let letters = Array(name.utf8)
            return key(letters[0], letters[1], letters[2])
        }
    }
}
