extension GrammarParser {
    /// sequence-set = (seq-number / seq-range) ["," sequence-set] ; seq-range = seq-number ":" seq-number
    /// seq-number = nz-number / "*"   (`*` alone reads as the largest value, open-ended)
    mutating func messageSet<ID: MessageIdentifier>(of _: ID.Type = ID.self) throws(GrammarError) -> MessageSet<ID> {
        var ranges: [MessageRange<ID>] = []
        repeat {
            let lower = try sequenceNumberOrStar()
            if consume(ASCII.colon) {
                let upper = try sequenceNumberOrStar()
                switch (lower, upper) {
                case let (low?, high?): ranges.append(MessageRange(ID(rawValue: low), ID(rawValue: high)))
                case let (low?, nil), let (nil, low?): ranges.append(.from(ID(rawValue: low)))
                case (nil, nil): ranges.append(.from(ID(rawValue: UInt32.max)))
                }
            } else if let lower {
                ranges.append(MessageRange(ID(rawValue: lower)))
            } else {
                ranges.append(.from(ID(rawValue: UInt32.max)))
            }
        } while consume(ASCII.comma)
        return MessageSet(ranges: ranges)
    }

    /// seq-number; nil for `*`.
    private mutating func sequenceNumberOrStar() throws(GrammarError) -> UInt32? {
        if consume(ASCII.star) { return nil }
        return try number()
    }

    mutating func uidSet() throws(GrammarError) -> UIDSet { try messageSet(of: UID.self) }
    mutating func sequenceNumberSet() throws(GrammarError) -> SequenceNumberSet { try messageSet(of: SequenceNumber.self) }
}
