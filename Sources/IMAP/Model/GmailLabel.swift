/// Gmail labels as X-GM-LABELS sends them.
///
/// Gmail's system labels are flag-like (`\Inbox`, `\Important`, `\Sent`, `\Starred`, `\Draft`,
/// `\Trash`, `\Spam`) and are kept as they are. User labels are the names of the matching
/// folders, so non-ASCII ones come in modified UTF-7 like folder names do (`R&AOk-sum&AOk-` for
/// `Résumé`); a label that is not valid modified UTF-7 (`R&D` sent raw) is kept as sent.
public enum GmailLabel {
    /// The label as a person reads it.
    public static func displayName(_ wire: String) -> String {
        guard !wire.hasPrefix("\\"), wire.utf8.contains(UInt8(ascii: "&")) else { return wire }
        return ModifiedUTF7.decode(Array(wire.utf8)) ?? wire
    }
}
