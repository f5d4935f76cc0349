import Testing
@testable import IMAP

@Suite("Sequence sets")
struct SequenceSetTests {
    private func uids(_ text: String) throws -> UIDSet { try UIDSet(parsing: text) }

    @Test("compaction sorts and merges overlapping and adjacent ranges", arguments: [
        ("5,1:3,4", "1:5"),
        ("9,7,8,1", "1,7:9"),
        ("1:10,3:4", "1:10"),
        ("10:1", "1:10"),
        ("3:*,7,1", "1,3:*"),
        ("2,4,6", "2,4,6"),
        ("6:*,1:5", "1:*"),
        ("4294967295,1", "1,4294967295"),
        ("4294967294:4294967295,4294967293", "4294967293:4294967295"),
        ("5,5,5", "5"),
    ])
    func compaction(input: String, expected: String) throws {
        #expect(try uids(input).compacted().wireText == expected)
    }

    @Test("parsing and encoding round-trip")
    func roundTrip() throws {
        for text in ["1", "1:4,7,9:*", "4294967295", "2:6,9:13", "1,3,5:7"] {
            #expect(try uids(text).wireText == text)
        }
        let set = try uids("1:4,7,9:*")
        #expect(set.ranges == [MessageRange(UID(1), UID(4)), MessageRange(UID(7)), MessageRange.from(UID(9))])
    }

    @Test("a lone star becomes 4294967295:* which selects the same message")
    func loneStar() throws {
        #expect(try uids("*").wireText == "4294967295:*")
        #expect(try uids("*:5").ranges == [MessageRange.from(UID(5))])
    }

    @Test("invalid wire text gives a typed error", arguments: [
        ("", MessageSetParseError.empty),
        ("0", .outOfRange(text: "0", number: "0", offset: 0)),
        ("4294967296", .outOfRange(text: "4294967296", number: "4294967296", offset: 0)),
        ("1,00000000001", .outOfRange(text: "1,00000000001", number: "00000000001", offset: 2)),
        ("1,", .invalidNumber(text: "1,", offset: 2)),
        ("1:", .invalidNumber(text: "1:", offset: 2)),
        ("a", .invalidNumber(text: "a", offset: 0)),
        ("1 2", .invalidNumber(text: "1 2", offset: 1)),
        ("1,,2", .invalidNumber(text: "1,,2", offset: 2)),
        ("-1", .invalidNumber(text: "-1", offset: 0)),
    ])
    func invalid(text: String, error: MessageSetParseError) {
        #expect(throws: error) { try UIDSet(parsing: text) }
    }

    @Test("a lone star is refused when the caller asks for bounded ranges")
    func loneStarRefused() throws {
        #expect(throws: MessageSetParseError.loneStar(text: "1,*", offset: 2)) { try UIDSet(parsing: "1,*", allowsLoneStar: false) }
        #expect(throws: MessageSetParseError.loneStar(text: "*:*", offset: 0)) { try UIDSet(parsing: "*:*", allowsLoneStar: false) }
        #expect(try UIDSet(parsing: "*:5,7:*", allowsLoneStar: false).ranges == [.from(UID(5)), .from(UID(7))])
    }

    @Test("contains and identifiers")
    func membership() throws {
        let set = try uids("1:3,10:*")
        #expect(set.contains(UID(2)))
        #expect(!set.contains(UID(5)))
        #expect(set.contains(UID(4_000_000_000)))
        #expect(set.identifiers == nil)
        #expect(try uids("3,1:2,2").identifiers == [UID(1), UID(2), UID(3)])
    }

    @Test("sequence-number sets are their own type with the same rules")
    func sequenceNumbers() throws {
        let set = try SequenceNumberSet(parsing: "3,1,2")
        #expect(set.compacted().wireText == "1:3")
    }

    @Test("splitting keeps every piece under the limit and loses nothing")
    func splitting() throws {
        // Every odd UID: nothing merges, so the text is long.
        let odd = UIDSet(stride(from: UInt32(1), through: 20_001, by: 2).map { UID($0) })
        let pieces = odd.split(maxLength: 900)
        #expect(pieces.count > 1)
        for piece in pieces { #expect(piece.wireText.utf8.count <= 900) }
        let joined = pieces.flatMap { $0.identifiers ?? [] }
        #expect(joined == odd.identifiers)
        // Pieces are in ascending order and do not overlap.
        for (a, b) in zip(pieces, pieces.dropFirst()) {
            #expect(a.ranges.last!.upper! < b.ranges.first!.lower)
        }
    }

    @Test("a short set is not split; a tiny limit still fits one range per piece")
    func splittingEdges() throws {
        #expect(try uids("1:5,9").split(maxLength: 1000).map(\.wireText) == ["1:5,9"])
        #expect(try uids("1:5,9,4000000000:4000000001").split(maxLength: 1).map(\.wireText) == ["1:5,9", "4000000000:4000000001"])
        #expect(UIDSet(ranges: []).split(maxLength: 100).isEmpty)
    }
}
