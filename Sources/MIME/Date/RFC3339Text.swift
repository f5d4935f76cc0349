/// Builds RFC 3339 timestamps digit by digit: message lists write two per message, and string
/// interpolation with padding cost more than parsing the dates.
struct RFC3339Text {
    private var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(25)
    }

    /// `YYYY-MM-DDTHH:MM:SS`
    mutating func appendDateTime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        append(year, width: 4)
        bytes.append(ASCII.minus)
        append(month, width: 2)
        bytes.append(ASCII.minus)
        append(day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        append(hour, width: 2)
        bytes.append(ASCII.colon)
        append(minute, width: 2)
        bytes.append(ASCII.colon)
        append(second, width: 2)
    }

    /// `+01:00`, `-07:00`, or `-00:00` when the offset is unknown (RFC 3339 §4.3).
    mutating func appendOffset(minutes: Int?) {
        guard let minutes else {
            bytes.append(contentsOf: "-00:00".utf8)
            return
        }
        bytes.append(minutes < 0 ? ASCII.minus : ASCII.plus)
        let magnitude = abs(minutes)
        append(magnitude / 60, width: 2)
        bytes.append(ASCII.colon)
        append(magnitude % 60, width: 2)
    }

    mutating func appendZ() {
        bytes.append(UInt8(ascii: "Z"))
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Zero-padded to `width`; wider values are written whole, as `String(value)` would.
    private mutating func append(_ value: Int, width: Int) {
        guard value >= 0 else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        var divisor = 1
        var digits = 1
        while divisor <= value / 10 {
            divisor *= 10
            digits += 1
        }
        if digits < width { bytes.append(contentsOf: repeatElement(UInt8(0x30), count: width - digits)) }
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: 0x30 + (value / divisor) % 10))
            divisor /= 10
        }
    }
}
