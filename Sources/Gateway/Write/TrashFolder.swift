import IMAP
import IMAPClient

/// Finding the folder deleted messages go to.
enum TrashFolder {
    /// The folder with the `\Trash` special use (RFC 6154), or nil when the server names none.
    static func find(in listings: [MailboxListing]) -> MailboxListing? {
        listings.first { listing in listing.attributes.contains { $0.caseInsensitiveCompare("\\Trash") == .orderedSame } }
    }
}
