import IMAP
import TestRandom
import Testing

/// `MessageSet(parsing:)` and the response parser read sequence sets with one reader
/// (`MessageSetScanner`); these tests hold the two entry points to the same answers.
@Suite("One sequence-set reader")
struct SequenceSetReaderTests {
    /// The set in `* VANISHED <text>` as the response parser reads it; nil when it is malformed.
    private func wireSet(_ text: String) -> UIDSet? {
        var parser = ResponseParser()
        parser.append(Array("* VANISHED \(text)\r\n".utf8))
        guard let response = try? parser.next(), case let .untagged(.vanished(earlier: false, uids)) = response else { return nil }
        return uids
    }

    @Test("random texts: the response parser accepts exactly what MessageSet(parsing:) accepts, as the same set")
    func differential() {
        // No zero and no leading zeros: that is where the two readings differ on purpose (below).
        let pieces = ["1", "7", "42", "4294967295", "4294967296", "99999999999", "*", ":", ",", "a"]
        var random = SeededRandom(seed: 0x5E7_5E7)
        var accepted = 0
        for _ in 0..<3000 {
            let text = (0..<(1 + random.next(7))).map { _ in pieces[random.next(pieces.count)] }.joined()
            let strict = try? UIDSet(parsing: text)
            #expect(wireSet(text) == strict, "text \(text)")
            if strict != nil { accepted += 1 }
        }
        // Both outcomes must be exercised, or the comparison proves little.
        #expect(accepted > 100)
        #expect(accepted < 2900)
    }

    @Test("a server's 0 and leading zeros are read as written; user text refuses them")
    func lenientOnTheWire() {
        #expect(wireSet("0,007:9") == UIDSet(ranges: [MessageRange(UID(0)), MessageRange(UID(7), UID(9))]))
        #expect(throws: MessageSetParseError.outOfRange(text: "0,007:9", number: "0", offset: 0)) { try UIDSet(parsing: "0,007:9") }
        #expect(wireSet("4294967296") == nil)
    }
}
