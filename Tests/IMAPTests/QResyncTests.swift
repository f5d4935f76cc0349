import Testing
@testable import IMAP

/// RFC 7162 QRESYNC and CONDSTORE: what the folder mirror sends to resynchronise and what it
/// reads back.
@Suite("QRESYNC and CONDSTORE resynchronisation")
struct QResyncTests {
    @Test("SELECT and EXAMINE with QRESYNC carry UIDVALIDITY, MODSEQ and the known UIDs")
    func selectQResync() throws {
        let known = UIDSet(ranges: [MessageRange(UID(41)), MessageRange(UID(43), UID(116))])
        let parameters = QResyncParameters(uidValidity: 67890007, modSeq: 90060115194045000, knownUIDs: known)
        #expect(try Wire.text(.selectQResync(MailboxName("INBOX"), readOnly: false, parameters)) ==
            "A1 SELECT \"INBOX\" (QRESYNC (67890007 90060115194045000 41,43:116))\r\n")
        #expect(try Wire.text(.selectQResync(MailboxName("INBOX"), readOnly: true, parameters)) ==
            "A1 EXAMINE \"INBOX\" (QRESYNC (67890007 90060115194045000 41,43:116))\r\n")
        let bare = QResyncParameters(uidValidity: 1, modSeq: 2)
        #expect(try Wire.text(.selectQResync(MailboxName("a b"), readOnly: true, bare)) ==
            "A1 EXAMINE \"a b\" (QRESYNC (1 2))\r\n")
        let empty = QResyncParameters(uidValidity: 1, modSeq: 2, knownUIDs: UIDSet(ranges: []))
        #expect(try Wire.text(.selectQResync(MailboxName("INBOX"), readOnly: true, empty)) == "A1 EXAMINE \"INBOX\" (QRESYNC (1 2))\r\n")
        #expect(Command.selectQResync(MailboxName("INBOX"), readOnly: true, bare).name == "EXAMINE")
        #expect(Command.selectQResync(MailboxName("INBOX"), readOnly: false, bare).name == "SELECT")
    }

    @Test("a mailbox name in a QRESYNC SELECT cannot break out of its string")
    func selectQResyncQuotesTheName() throws {
        let text = try Wire.text(.selectQResync(MailboxName("x\" (QRESYNC"), readOnly: true, QResyncParameters(uidValidity: 1, modSeq: 2)))
        #expect(text == "A1 EXAMINE \"x\\\" (QRESYNC\" (QRESYNC (1 2))\r\n")
    }

    @Test("UID FETCH with CHANGEDSINCE and VANISHED, and it splits like UID FETCH")
    func fetchVanished() throws {
        let set = UIDSet(ranges: [MessageRange(UID(1), nil)])
        #expect(try Wire.text(.uidFetchVanished(set, [.uid, .flags, .modSeq], changedSince: 12345)) ==
            "A1 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 12345 VANISHED)\r\n")
        #expect(Command.uidFetchVanished(set, [.uid], changedSince: 1).name == "UID FETCH")
        let many = UIDSet((1...3000).map { UID(UInt32($0) * 2) })
        let pieces = try CommandEncoder().split(.uidFetchVanished(many, [.uid, .flags], changedSince: 7))
        #expect(pieces.count > 1)
        var covered: [UID] = []
        for piece in pieces {
            guard case let .uidFetchVanished(part, items, changedSince) = piece else {
                Issue.record("split changed the command: \(piece)")
                continue
            }
            #expect(items == [.uid, .flags] && changedSince == 7)
            let line = try CommandEncoder().encode(piece, tag: "A123456789")
            #expect(line.firstLineLength + 2 <= CommandEncoder.defaultLineLimit)
            covered += part.identifiers ?? []
        }
        #expect(covered == many.identifiers)
    }

    @Test("a QRESYNC SELECT answer parses whole, split at every byte and byte by byte")
    func selectAnswerTranscript() {
        // RFC 7162 §3.2.5.2's example, with Dovecot's spelling of the codes.
        let input = crlf(
            "* 314 EXISTS",
            "* 0 RECENT",
            "* OK [UIDVALIDITY 67890007] Ok",
            "* OK [UIDNEXT 567] Predicted next UID",
            "* OK [HIGHESTMODSEQ 90060115205545359] Highest mailbox mod-sequence",
            "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540",
            #"* 49 FETCH (UID 117 FLAGS (\Seen \Answered) MODSEQ (90060115194045001))"#,
            #"* 50 FETCH (UID 119 FLAGS (\Draft $MDNSent) MODSEQ (90060115194045308))"#,
            "A02 OK [READ-WRITE] Sorry, UIDVALIDITY mismatch"
        )
        let vanished = UIDSet(ranges: [
            MessageRange(UID(41)), MessageRange(UID(43), UID(116)), MessageRange(UID(118)),
            MessageRange(UID(120), UID(211)), MessageRange(UID(214), UID(540)),
        ])
        ParserHarness.check(ParserFixture("QRESYNC SELECT", input,
            .untagged(.exists(314)),
            .untagged(.recent(0)),
            untagged(.ok, "Ok", code: .uidValidity(67890007)),
            untagged(.ok, "Predicted next UID", code: .uidNext(UID(567))),
            untagged(.ok, "Highest mailbox mod-sequence", code: .highestModSeq(90060115205545359)),
            .untagged(.vanished(earlier: true, uids: vanished)),
            fetch(49, .uid(UID(117)), .flags(flags("\\Seen", "\\Answered")), .modSeq(90060115194045001)),
            fetch(50, .uid(UID(119)), .flags(flags("\\Draft", "$MDNSent")), .modSeq(90060115194045308)),
            tagged("A02", .ok, "Sorry, UIDVALIDITY mismatch", code: .readWrite)
        ))
    }

    @Test("a CHANGEDSINCE answer and NOMODSEQ parse whole and split")
    func changedSinceTranscript() {
        let input = crlf(
            "* OK [NOMODSEQ] No permanent modsequences",
            "* VANISHED (EARLIER) 300:310,405",
            #"* 2 FETCH (UID 6 MODSEQ (12121231000) FLAGS (\Deleted))"#,
            "* VANISHED 12",
            "A3 OK Conditional FETCH completed"
        )
        ParserHarness.check(ParserFixture("CHANGEDSINCE VANISHED", input,
            untagged(.ok, "No permanent modsequences", code: .noModSeq),
            .untagged(.vanished(earlier: true, uids: uids(range(300, 310), range(405, 405)))),
            fetch(2, .uid(UID(6)), .modSeq(12121231000), .flags([.deleted])),
            .untagged(.vanished(earlier: false, uids: uids(range(12, 12)))),
            tagged("A3", .ok, "Conditional FETCH completed")
        ))
    }
}
