extension CommandEncoder {
    /// Servers such as Yahoo reject command lines longer than 1000 octets (RFC 2683 §3.2.1.5
    /// recommends staying below it).
    public static let defaultLineLimit = 1000

    /// Cuts a command that carries a UID set (UID FETCH with or without VANISHED, STORE, COPY, MOVE, EXPUNGE) into several
    /// commands whose first line stays within `lineLimit` octets (CRLF included) with a tag of up to
    /// `tagLength` characters. Other commands come back unchanged, as one element.
    public func split(_ command: Command, lineLimit: Int = CommandEncoder.defaultLineLimit, tagLength: Int = 10) throws(CommandEncodingError) -> [Command] {
        let set: UIDSet
        let rebuild: (UIDSet) -> Command
        switch command {
        case let .uidFetch(s, items, changedSince): set = s; rebuild = { .uidFetch($0, items, changedSince: changedSince) }
        case let .uidFetchVanished(s, items, changedSince): set = s; rebuild = { .uidFetchVanished($0, items, changedSince: changedSince) }
        case let .uidStore(s, op, silent, unchanged): set = s; rebuild = { .uidStore($0, op, silent: silent, unchangedSince: unchanged) }
        case let .uidCopy(s, mailbox): set = s; rebuild = { .uidCopy($0, mailbox) }
        case let .uidMove(s, mailbox): set = s; rebuild = { .uidMove($0, mailbox) }
        case let .uidExpunge(s): set = s; rebuild = { .uidExpunge($0) }
        default: return [command]
        }
        guard !set.isEmpty else { throw .empty(field: "\(command.name) set") }
        // Measure everything but the set with a one-digit stand-in.
        let probe = try encode(rebuild(UIDSet([UID(1)])), tag: String(repeating: "A", count: tagLength))
        let overhead = probe.firstLineLength + 2 - 1
        return set.split(maxLength: lineLimit - overhead).map(rebuild)
    }
}
