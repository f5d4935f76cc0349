/// Why a sequence set's text could not be read. Offsets count UTF-8 bytes from the start of `text`.
public enum MessageSetParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text was empty.
    case empty
    /// A number or `*` was expected at `offset` in `text`.
    case invalidNumber(text: String, offset: Int)
    /// A number was 0 or larger than 4294967295 (`nz-number` is 1...UInt32.max); it starts at `offset`.
    case outOfRange(text: String, number: String, offset: Int)
    /// `*` or `*:*` stood alone at `offset` where the caller asked for a bounded range.
    case loneStar(text: String, offset: Int)

    /// Where in the text the problem starts (0 for an empty text).
    public var offset: Int {
        switch self {
        case .empty: return 0
        case let .invalidNumber(_, offset), let .outOfRange(_, _, offset), let .loneStar(_, offset): return offset
        }
    }

    public var description: String {
        switch self {
        case .empty: return "empty sequence set"
        case let .invalidNumber(text, offset): return "sequence set '\(text)': number or '*' expected at offset \(offset)"
        case let .outOfRange(text, number, _): return "sequence set '\(text)': \(number) is not in 1...4294967295"
        case let .loneStar(text, offset): return "sequence set '\(text)': '*' alone at offset \(offset); write n:*"
        }
    }
}

extension MessageSet {
    /// Reads text such as `1:4,7,9:*` (RFC 3501 `sequence-set`), keeping the ranges in order.
    ///
    ///     sequence-set = (seq-number / seq-range) ["," sequence-set]
    ///     seq-range    = seq-number ":" seq-number
    ///     seq-number   = nz-number / "*"
    ///
    /// The model has no single `*`; a lone `*` (or `*:*`) is stored as `4294967295:*`, which
    /// selects the same message (the one with the largest number in use). With
    /// `allowsLoneStar: false` it is an error instead (the search language wants `n:*`).
    public init(parsing text: some StringProtocol, allowsLoneStar: Bool = true) throws(MessageSetParseError) {
        var string = String(text)
        guard !string.isEmpty else { throw .empty }
        let scanned: MessageSetScanner.Outcome<ID> = string.withUTF8 { bytes in
            MessageSetScanner.scan(bytes, from: 0, to: bytes.count, numbers: .strict, allowsLoneStar: allowsLoneStar)
        }
        switch scanned {
        case let .failure(failure):
            switch failure.reason {
            case .numberExpected: throw .invalidNumber(text: string, offset: failure.offset)
            case let .outOfRange(digits): throw .outOfRange(text: string, number: digits, offset: failure.offset)
            case .loneStar: throw .loneStar(text: string, offset: failure.offset)
            }
        case let .success((set, end)):
            // The reader stops before the first byte that does not continue the set.
            guard end == string.utf8.count else { throw .invalidNumber(text: string, offset: end) }
            self = set
        }
    }
}

/// The one reader of the `sequence-set` grammar, shared by `MessageSet(parsing:)` (user and test
/// text) and the response parser (`GrammarParser.messageSet`, server text), so the two cannot drift.
enum MessageSetScanner {
    /// How numbers are read.
    enum Numbers {
        /// `nz-number`: 1...4294967295, at most 10 digits.
        case strict
        /// Any digits whose value fits 32 bits, 0 and leading zeros included. A server's own sets
        /// (COPYUID, VANISHED, ESEARCH ALL) are read this way: refusing a `0` there would fail the
        /// whole response, and with COPYUID lose where a moved message went.
        case lenient
    }

    struct Failure: Error {
        enum Reason {
            case numberExpected
            /// The digits as written.
            case outOfRange(String)
            case loneStar
        }
        var reason: Reason
        /// Index into the scanned bytes where the problem starts.
        var offset: Int
    }

    /// The set and the index just past it, or why it is not one.
    typealias Outcome<ID: MessageIdentifier> = Result<(MessageSet<ID>, end: Int), Failure>

    /// Reads a sequence set from `bytes[start..<end]`, stopping before the first byte after a
    /// complete element that is not a comma (the caller decides whether anything may follow).
    static func scan<ID: MessageIdentifier>(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, numbers: Numbers, allowsLoneStar: Bool
    ) -> Outcome<ID> {
        var ranges: [MessageRange<ID>] = []
        var index = start
        while true {
            let elementStart = index
            let first: UInt32?
            switch number(bytes, &index, end, numbers) {
            case let .success(value): first = value
            case let .failure(failure): return .failure(failure)
            }
            var range: MessageRange<ID>
            if index < end, bytes[index] == ASCII.colon {
                index += 1
                let second: UInt32?
                switch number(bytes, &index, end, numbers) {
                case let .success(value): second = value
                case let .failure(failure): return .failure(failure)
                }
                switch (first, second) {
                case let (lower?, upper?): range = MessageRange(ID(rawValue: lower), ID(rawValue: upper))
                case let (bound?, nil), let (nil, bound?): range = .from(ID(rawValue: bound))
                case (nil, nil):
                    guard allowsLoneStar else { return .failure(Failure(reason: .loneStar, offset: elementStart)) }
                    range = .from(ID(rawValue: UInt32.max))
                }
            } else if let first {
                range = MessageRange(ID(rawValue: first))
            } else {
                guard allowsLoneStar else { return .failure(Failure(reason: .loneStar, offset: elementStart)) }
                range = .from(ID(rawValue: UInt32.max))
            }
            ranges.append(range)
            guard index < end, bytes[index] == ASCII.comma else { break }
            index += 1
        }
        return .success((MessageSet(ranges: ranges), index))
    }

    /// seq-number; nil for `*`.
    private static func number(
        _ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ end: Int, _ numbers: Numbers
    ) -> Result<UInt32?, Failure> {
        if index < end, bytes[index] == ASCII.star {
            index += 1
            return .success(nil)
        }
        let start = index
        var value: UInt64 = 0
        while index < end, ASCII.isDigit(bytes[index]) {
            // Saturate: the digits are kept for the message, the value only has to exceed 32 bits.
            value = min(value &* 10 &+ UInt64(bytes[index] &- ASCII.zero), UInt64(UInt32.max) + 1)
            index += 1
        }
        guard index > start else { return .failure(Failure(reason: .numberExpected, offset: start)) }
        let inRange = switch numbers {
        case .strict: index - start <= 10 && value >= 1 && value <= UInt64(UInt32.max)
        case .lenient: value <= UInt64(UInt32.max)
        }
        guard inRange else {
            let digits = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            return .failure(Failure(reason: .outOfRange(digits), offset: start))
        }
        return .success(UInt32(value))
    }
}
