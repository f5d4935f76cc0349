import Testing
@testable import IMAPClient

@Suite("Session state follows untagged responses")
struct SessionStateTests {
    @Test("EXISTS, EXPUNGE, VANISHED, FLAGS and codes update the selected mailbox")
    func updates() throws {
        var state = SessionState()
        state.apply(.exists(5))
        #expect(state.selected == nil, "no mailbox, nothing to update")
        state.selected = SelectedMailbox(name: .inbox)
        state.apply(.exists(5))
        state.apply(.recent(1))
        state.apply(.flags([.seen, .deleted]))
        state.apply(.condition(.ok, ResponseText(code: .uidValidity(42), text: "")))
        state.apply(.condition(.ok, ResponseText(code: .uidNext(UID(9)), text: "")))
        state.apply(.condition(.ok, ResponseText(code: .permanentFlags([.seen, .wildcard]), text: "")))
        state.apply(.condition(.ok, ResponseText(code: .highestModSeq(90060115194045007), text: "")))
        state.apply(.expunge(SequenceNumber(2)))
        state.apply(.vanished(earlier: false, uids: try UIDSet(parsing: "3:4")))
        state.apply(.vanished(earlier: true, uids: try UIDSet(parsing: "1")))
        state.apply(.condition(.ok, ResponseText(code: .readOnly, text: "")))
        let selected = try #require(state.selected)
        #expect(selected.exists == 2)
        #expect(selected.recent == 1)
        #expect(selected.flags == [.seen, .deleted])
        #expect(selected.uidValidity == 42)
        #expect(selected.uidNext == UID(9))
        #expect(selected.permanentFlags == [.seen, .wildcard])
        #expect(selected.highestModSeq == 90060115194045007)
        #expect(selected.readOnly)
    }

    @Test("capabilities from responses and codes; BYE makes the session unusable")
    func capabilitiesAndBye() {
        var state = SessionState()
        state.apply(UntaggedResponse.capability([.imap4rev1, .idle]))
        #expect(state.serverCapabilities == [.imap4rev1, .idle])
        let generation = state.capabilityGeneration
        state.apply(.condition(.ok, ResponseText(code: .capability([.imap4rev1, .move]), text: "")))
        #expect(state.serverCapabilities == [.imap4rev1, .move])
        #expect(state.capabilityGeneration == generation + 1)
        state.apply(.enabled([.condStore]))
        #expect(state.enabled == [.condStore])
        #expect(state.usable)
        state.apply(.condition(.bye, ResponseText(text: "bye")))
        #expect(!state.usable)
        #expect(state.bye?.text == "bye")
    }

    @Test("tags count up")
    func tags() {
        var state = SessionState()
        #expect([state.nextTag(), state.nextTag(), state.nextTag()] == ["A1", "A2", "A3"])
    }

    @Test("special use from RFC 6154 attributes and XLIST names")
    func specialUse() {
        #expect(SpecialUse(attributes: ["\\HasNoChildren", "\\Sent"]) == .sent)
        #expect(SpecialUse(attributes: ["\\AllMail"]) == .all)
        #expect(SpecialUse(attributes: ["\\Spam"]) == .junk)
        #expect(SpecialUse(attributes: ["\\Starred"]) == .flagged)
        #expect(SpecialUse(attributes: ["\\Inbox"]) == .inbox)
        #expect(SpecialUse(attributes: ["\\trash"]) == .trash)
        #expect(SpecialUse(attributes: ["\\HasChildren"]) == nil)
    }

    @Test("error descriptions show response codes as the server wrote them")
    func errorText() {
        let error = IMAPError.no(command: "SELECT", ResponseText(code: .nonExistent, text: "Mailbox doesn't exist"))
        #expect(error.description == "IMAP server refused SELECT: [NONEXISTENT] Mailbox doesn't exist")
        #expect(error.responseCode == .nonExistent)
        #expect(IMAPError.startTLSNotOffered.description.contains("STARTTLS"))
    }
}
