import Foundation
import IMAP
import IMAPClient

/// Finding the folder deleted messages go to.
///
/// In order: the folder configured with `--trash-folder`; the folder with the `\Trash` special
/// use (RFC 6154); else, on servers without SPECIAL-USE (Courier, pymap, older Exchange and
/// hosting setups), a folder with one of the usual names in `usualNames`, at the top level or
/// directly below INBOX (`INBOX.Trash`, `INBOX/Papierkorb`), compared case-insensitively.
enum TrashFolder {
    /// What mail clients name the trash folder, most common first: English (Thunderbird,
    /// Outlook, Apple Mail), then German, French, Spanish, Italian, Dutch, Portuguese, Polish,
    /// Russian, Swedish, Danish/Norwegian, Finnish, Czech, Japanese, Chinese and Korean, each with
    /// the Outlook name where it differs. The first name present wins.
    static let usualNames = [
        "Trash", "Deleted Items", "Deleted Messages", "Deleted", "Bin",
        "Papierkorb", "Gelöschte Elemente", "Gelöschte Objekte",
        "Corbeille", "Éléments supprimés",
        "Papelera", "Elementos eliminados",
        "Cestino", "Posta eliminata",
        "Prullenbak", "Verwijderde items",
        "Lixeira", "Itens Excluídos", "Reciclagem",
        "Kosz", "Elementy usunięte",
        "Корзина", "Удаленные", "Удалённые",
        "Papperskorgen", "Borttagna objekt",
        "Papirkurv", "Slettede elementer",
        "Roskakori", "Poistetut",
        "Koš", "Odstraněná pošta",
        "ゴミ箱", "削除済みアイテム",
        "已删除邮件", "已删除", "垃圾箱",
        "휴지통", "지운 편지함",
    ]

    /// The trash folder, or nil when there is none.
    /// - Parameter configured: `--trash-folder`; when set, only that folder counts.
    static func find(in listings: [MailboxListing], configured: String? = nil) -> MailboxListing? {
        let selectable = listings.filter(\.selectable)
        if let configured {
            return selectable.first { $0.name.displayName == configured }
        }
        if let special = selectable.first(where: { listing in
            listing.attributes.contains { $0.caseInsensitiveCompare("\\Trash") == .orderedSame }
        }) {
            return special
        }
        for usual in usualNames {
            let matches = selectable.filter { listing in
                guard let leaf = leafBelowRoot(listing) else { return false }
                return leaf.compare(usual, options: [.caseInsensitive]) == .orderedSame
            }
            // `Trash` before `INBOX.Trash` when a server has both.
            if let match = matches.first(where: { leafBelowRoot($0) == $0.name.displayName }) ?? matches.first {
                return match
            }
        }
        return nil
    }

    /// The folder's own name when it sits at the top level or directly below INBOX, else nil.
    private static func leafBelowRoot(_ listing: MailboxListing) -> String? {
        let name = listing.name.displayName
        guard let delimiter = listing.delimiter else { return name }
        let parts = name.split(separator: delimiter, omittingEmptySubsequences: false)
        if parts.count == 1 { return name }
        if parts.count == 2, parts[0].caseInsensitiveCompare("INBOX") == .orderedSame { return String(parts[1]) }
        return nil
    }
}
