import HTTPServer
import IMAP
import IMAPClient
import Testing
@testable import Gateway

/// Where deletes go on servers without SPECIAL-USE (issue 14), and which keywords a folder keeps.
@Suite("Trash folder by name, keywords by PERMANENTFLAGS")
struct TrashFolderTests {
    private func listing(_ name: String, _ delimiter: Character? = "/", _ attributes: [String] = []) -> MailboxListing {
        MailboxListing(name: MailboxName(name), delimiter: delimiter, attributes: attributes)
    }

    @Test("\\Trash wins over names; without it a usual name at the top or below INBOX", arguments: [
        (["INBOX", "Trash", "Bin"], ["Bin"], "Bin"),                        // special use first
        (["INBOX", "INBOX.Trash", "INBOX.Sent"], [], "INBOX.Trash"),       // Courier
        (["INBOX", "Trash"], [], "Trash"),                                  // pymap
        (["INBOX", "Archive", "Deleted Items"], [], "Deleted Items"),      // Exchange without SPECIAL-USE
        (["INBOX", "INBOX.Papierkorb"], [], "INBOX.Papierkorb"),
        (["INBOX", "INBOX.Trash", "Trash"], [], "Trash"),                  // top level before INBOX.
        (["INBOX", "Projects.Trash"], [], nil),                             // deeper: a user's folder, not the trash
        (["INBOX", "trash"], [], "trash"),                                  // case-insensitive
        (["INBOX", "Sent"], [], nil),
    ])
    func find(names: [String], special: [String], expected: String?) {
        let delimiter: Character = names.contains { $0.contains(".") } ? "." : "/"
        let listings = names.map { listing($0, delimiter, special.contains($0) ? ["\\HasNoChildren", "\\Trash"] : ["\\HasNoChildren"]) }
        #expect(TrashFolder.find(in: listings)?.name.displayName == expected)
    }

    @Test("--trash-folder names the folder; missing or \\Noselect it is none, even with a \\Trash")
    func configured() {
        let listings = [listing("INBOX"), listing("Trash", "/", ["\\Trash"]), listing("Old/Rubbish"), listing("Gone", "/", ["\\Noselect"])]
        #expect(TrashFolder.find(in: listings, configured: "Old/Rubbish")?.name.displayName == "Old/Rubbish")
        #expect(TrashFolder.find(in: listings, configured: "Missing") == nil)
        #expect(TrashFolder.find(in: listings, configured: "Gone") == nil)
    }

    @Test("A keyword outside PERMANENTFLAGS without \\* is refused before STORE; system flags and removals pass")
    func keywords() throws {
        var state = SelectedMailbox(name: MailboxName("INBOX"))
        state.permanentFlags = [.answered, .deleted, .draft, .flagged, .seen]
        #expect(throws: HTTPError.self) { try KeywordSupport.check([.add([Flag("$Todo")])], in: state) }
        #expect(throws: HTTPError.self) { try KeywordSupport.check([.replace([.seen, Flag("Work")])], in: state) }
        try KeywordSupport.check([.add([.flagged, .seen])], in: state)
        try KeywordSupport.check([.remove([Flag("$Todo")])], in: state)
        state.permanentFlags.append(Flag("$Todo"))
        try KeywordSupport.check([.add([Flag("$todo")])], in: state)
        state.permanentFlags = [.seen, .wildcard]
        try KeywordSupport.check([.add([Flag("$Anything")])], in: state)
        state.permanentFlags = []
        try KeywordSupport.check([.add([Flag("$Anything")])], in: state)
    }
}
