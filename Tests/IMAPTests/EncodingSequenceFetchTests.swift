import Testing
@testable import IMAP

@Suite("FETCH by message sequence number")
struct EncodingSequenceFetchTests {
    @Test("FETCH writes the sequence set as given, `*` included, and the items like UID FETCH")
    func sequenceFetch() throws {
        let window = SequenceNumberSet(ranges: [MessageRange(SequenceNumber(99_951), nil)])
        #expect(try Wire.text(.fetch(window, [.uid, .flags, .envelope])) == "A1 FETCH 99951:* (UID FLAGS ENVELOPE)\r\n")
        let bounded = SequenceNumberSet(ranges: [MessageRange(SequenceNumber(5), SequenceNumber(1))])
        #expect(try Wire.text(.fetch(bounded, [.uid])) == "A1 FETCH 1:5 (UID)\r\n")
        #expect(Command.fetch(bounded, [.uid]).name == "FETCH")
    }

    @Test("an empty set or item list is refused, and FETCH is never split")
    func refusals() throws {
        #expect(throws: CommandEncodingError.empty(field: "FETCH set")) {
            try Wire.text(.fetch(SequenceNumberSet(ranges: []), [.uid]))
        }
        #expect(throws: CommandEncodingError.empty(field: "FETCH item list")) {
            try Wire.text(.fetch(SequenceNumberSet([SequenceNumber(1)]), []))
        }
        let one = Command.fetch(SequenceNumberSet([SequenceNumber(1)]), [.uid])
        #expect(try CommandEncoder().split(one).count == 1)
    }
}
