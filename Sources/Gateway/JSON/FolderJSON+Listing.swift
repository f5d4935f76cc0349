import IMAP
import IMAPClient

extension FolderJSON {
    /// The folder object for one LIST line.
    init(_ listing: MailboxListing) {
        let name = listing.name.displayName
        let lowered = Set(listing.attributes.map { $0.lowercased() })
        self.name = name
        var parent: String?
        if let delimiter = listing.delimiter, let split = name.lastIndex(of: delimiter) {
            parent = String(name[..<split])
            leaf = String(name[name.index(after: split)...])
        } else {
            leaf = name
        }
        // \Marked and \Unmarked say whether mail arrived since the last SELECT by anyone: they
        // flip with every look at the folder, which would make the listing's ETag useless.
        attributes = listing.attributes.filter { !["\\marked", "\\unmarked"].contains($0.lowercased()) }
        selectable = listing.selectable
        subscribed = listing.subscribed == true || lowered.contains("\\subscribed")
        href = Paths.folder(name)
        status = listing.status.map {
            FolderCountsJSON(messages: $0.messages, unseen: $0.unseen, uidNext: $0.uidNext?.rawValue, uidValidity: $0.uidValidity)
        }
        // The @ExplicitNull properties start out nil, so they are set once the rest is.
        delimiter = listing.delimiter.map(String.init)
        self.parent = parent
        // The client derives the role from SPECIAL-USE and XLIST attributes, INBOX by name.
        specialUse = listing.specialUse?.rawValue
    }
}
