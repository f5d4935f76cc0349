extension GrammarParser {
    /// sequence-set = (seq-number / seq-range) ["," sequence-set] ; seq-range = seq-number ":" seq-number
    /// seq-number = nz-number / "*"   (`*` alone reads as the largest value, open-ended)
    ///
    /// Read by `MessageSetScanner`, the same reader as `MessageSet(parsing:)`, leniently (a server's
    /// `0` or leading zeros are taken as written; see `MessageSetScanner.Numbers.lenient`).
    mutating func messageSet<ID: MessageIdentifier>(of _: ID.Type = ID.self) throws(GrammarError) -> MessageSet<ID> {
        let scanned: MessageSetScanner.Outcome<ID> =
            MessageSetScanner.scan(bytes, from: position, to: end, numbers: .lenient, allowsLoneStar: true)
        switch scanned {
        case let .success((set, next)):
            position = next
            return set
        case let .failure(failure):
            position = failure.offset
            switch failure.reason {
            case .numberExpected: throw fail("expected a number")
            case .outOfRange: throw fail("number exceeds 32 bits")
            case .loneStar: throw fail("'*' alone is not allowed here")  // not asked for: allowsLoneStar is true
            }
        }
    }

    mutating func uidSet() throws(GrammarError) -> UIDSet { try messageSet(of: UID.self) }
    mutating func sequenceNumberSet() throws(GrammarError) -> SequenceNumberSet { try messageSet(of: SequenceNumber.self) }
}
