/// Why a sequence set's wire text could not be read.
public enum MessageSetParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text was empty.
    case empty
    /// A number or `*` was expected at `offset` in `text`.
    case invalidNumber(text: String, offset: Int)
    /// A number was 0 or larger than 4294967295 (`nz-number` is 1...UInt32.max).
    case outOfRange(text: String, number: String)

    public var description: String {
        switch self {
        case .empty: return "empty sequence set"
        case let .invalidNumber(text, offset): return "sequence set '\(text)': number or '*' expected at offset \(offset)"
        case let .outOfRange(text, number): return "sequence set '\(text)': \(number) is not in 1...4294967295"
        }
    }
}

extension MessageSet {
    /// Reads wire text such as `1:4,7,9:*` (RFC 3501 `sequence-set`), keeping the ranges in order.
    ///
    ///     sequence-set = (seq-number / seq-range) ["," sequence-set]
    ///     seq-range    = seq-number ":" seq-number
    ///     seq-number   = nz-number / "*"
    ///
    /// The model has no single `*`; a lone `*` (or `*:*`) is stored as `4294967295:*`, which
    /// selects the same message (the one with the largest number in use).
    public init(parsing text: some StringProtocol) throws(MessageSetParseError) {
        let string = String(text)
        let bytes = Array(string.utf8)
        guard !bytes.isEmpty else { throw .empty }
        var ranges: [MessageRange<ID>] = []
        var index = 0

        // Returns nil for `*`.
        func number() throws(MessageSetParseError) -> ID?? {
            if index < bytes.count, bytes[index] == UInt8(ascii: "*") {
                index += 1
                return .some(nil)
            }
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > start else { throw .invalidNumber(text: string, offset: start) }
            let digits = String(decoding: bytes[start..<index], as: UTF8.self)
            guard index - start <= 10, let value = UInt64(digits), value >= 1, value <= UInt64(UInt32.max) else {
                throw .outOfRange(text: string, number: digits)
            }
            return .some(ID(rawValue: UInt32(value)))
        }

        while true {
            let first = try number()
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                index += 1
                let second = try number()
                switch (first!, second!) {
                case let (lower?, upper): ranges.append(MessageRange(lower, upper))
                case let (nil, lower?): ranges.append(MessageRange(lower, nil))
                case (nil, nil): ranges.append(MessageRange(ID(rawValue: UInt32.max), nil))
                }
            } else if let single = first! {
                ranges.append(MessageRange(single))
            } else {
                ranges.append(MessageRange(ID(rawValue: UInt32.max), nil))
            }
            if index == bytes.count { break }
            guard bytes[index] == UInt8(ascii: ",") else { throw .invalidNumber(text: string, offset: index) }
            index += 1
        }
        self.init(ranges: ranges)
    }
}
