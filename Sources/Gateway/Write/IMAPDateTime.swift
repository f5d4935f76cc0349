/// RFC 3339 timestamps from requests turned into IMAP `date-time` (`"17-Jul-1996 02:44:25 -0700"`) for APPEND.
enum IMAPDateTime {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// nil when `text` is not RFC 3339 (`2024-01-31T09:30:00+01:00`, `...Z`, fractions allowed).
    static func fromRFC3339(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x74,
              bytes[13] == 0x3A, bytes[16] == 0x3A,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var zone = "+0000"
        switch bytes[index] {
        case 0x5A, 0x7A:
            guard index + 1 == bytes.count else { return nil }
        case 0x2B, 0x2D:
            guard index + 6 == bytes.count, bytes[index + 3] == 0x3A,
                  let zoneHours = number(index + 1, 2), let zoneMinutes = number(index + 4, 2),
                  zoneHours < 24, zoneMinutes < 60 else { return nil }
            zone = (bytes[index] == 0x2B ? "+" : "-") + twoDigits(zoneHours) + twoDigits(zoneMinutes)
        default:
            return nil
        }
        let yearText = String(repeating: "0", count: 4 - String(year).count) + String(year)
        return "\(twoDigits(day))-\(months[month - 1])-\(yearText) \(twoDigits(hour)):\(twoDigits(minute)):\(twoDigits(min(second, 59))) \(zone)"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
