import IMAP
import Testing

/// `FetchItems` must agree with the one-kind accessors it replaces in hot code: the first item
/// of each kind wins, items it does not model are passed over.
@Suite struct FetchItemsTests {
    private func parseFetch(_ line: String) throws -> FetchResponse? {
        var parser = ResponseParser()
        parser.append(Array(line.utf8)[...])
        guard case .untagged(.fetch(let response))? = try parser.next() else { return nil }
        return response
    }

    @Test func agreesWithTheAccessors() throws {
        let parsed = try parseFetch(
            "* 7 FETCH (UID 42 FLAGS (\\Seen $Label1) RFC822.SIZE 1234 MODSEQ (99) "
                + "INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" X-GM-THRID 17 BODY[HEADER.FIELDS (DATE)] {2}\r\n\r\n "
                + "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700\" \"Hi\" NIL NIL NIL NIL NIL NIL NIL \"<id@x>\") "
                + "BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 3 1 NIL NIL NIL NIL))\r\n")
        let response = try #require(parsed)
        let items = response.items
        #expect(items.uid == response.uid && items.uid == UID(42))
        #expect(items.flags == response.flags && items.flags?.count == 2)
        #expect(items.size == response.size && items.size == 1234)
        #expect(items.modSeq == response.modSeq && items.modSeq != nil)
        #expect(items.internalDate == response.internalDate && items.internalDate == "17-Jul-1996 02:44:25 -0700")
        #expect(items.envelope == response.envelope && items.envelope?.subject == "Hi")
        #expect(items.bodyStructure == response.bodyStructure && items.bodyStructure != nil)
        #expect(!items.hasUnparseableBodyStructure)
    }

    @Test func firstOfEachKindWins() {
        let response = FetchResponse(sequenceNumber: SequenceNumber(1), attributes: [
            .uid(UID(5)), .rfc822Size(10), .uid(UID(6)), .rfc822Size(20), .flags([]), .flags([.seen]),
        ])
        let items = response.items
        #expect(items.uid == UID(5))
        #expect(items.size == 10)
        #expect(items.flags == [])
        #expect(items.envelope == nil && items.internalDate == nil && items.bodyStructure == nil)
    }

    @Test func unparseableStructureIsNoted() {
        let items = FetchResponse(sequenceNumber: SequenceNumber(1), attributes: [.uid(UID(1)), .bodyStructureUnknown]).items
        #expect(items.hasUnparseableBodyStructure)
        #expect(items.bodyStructure == nil)
    }
}
