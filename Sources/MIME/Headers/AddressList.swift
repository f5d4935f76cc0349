/// RFC 5322 §3.4 address lists (`From`, `To`, `Cc`, `Bcc`, `Reply-To`, `Sender`).
///
/// ```
/// address-list = (address *("," address))
/// address      = mailbox / group
/// mailbox      = name-addr / addr-spec
/// name-addr    = [display-name] angle-addr
/// group        = display-name ":" [group-list] ";" [CFWS]
/// ```
/// Groups are flattened into their members (an empty group such as `undisclosed-recipients:;`
/// yields nothing). Lenient with what real mail does: unquoted commas inside encoded words,
/// a missing `>` or `;`, obsolete routes (`<@relay:user@host>`), a name only in a comment
/// (`user@host (Name)`), empty entries (`a@b,,c@d`).
public enum AddressList {
    /// Parses a header value given as raw bytes (8-bit text read as UTF-8 or windows-1252).
    public static func parse(_ raw: [UInt8]) -> [MailAddress] {
        var problems: [String] = []
        return parse(raw, problems: &problems)
    }

    /// Parses a header value given as a string.
    public static func parse(_ raw: String) -> [MailAddress] {
        parse(Array(raw.utf8))
    }

    /// Parses and collects decoding problems.
    static func parse(_ raw: [UInt8], problems: inout [String]) -> [MailAddress] {
        let utf8 = MIMEHeaderDecoder.utf8Bytes(of: raw, problems: &problems)
        let tokens = StructuredLexer(bytes: utf8).tokens()
        var addresses: [MailAddress] = []
        var phrase: [HeaderToken] = []
        var comments: [[UInt8]] = []
        var angle: [HeaderToken]? = nil
        var inGroup = false
        var index = 0

        func finishMailbox() {
            defer { phrase.removeAll(); comments.removeAll(); angle = nil }
            if let angle {
                let email = addrSpec(dropRoute(angle))
                var name = Phrase.text(of: phrase[...], problems: &problems)
                if name.isEmpty, let comment = comments.first {
                    name = commentName(comment, problems: &problems)
                }
                // `NAME <>` (the null reverse-path of bounces, RFC 5321 §4.5.5) keeps its name
                // with an empty address, as Python's email does; a bare `<>` is nobody.
                guard !email.isEmpty || !name.isEmpty else { return }
                addresses.append(MailAddress(name: name.isEmpty ? nil : name, email: email))
            } else if let at = phrase.lastIndex(where: { $0.kind == .special(ASCII.at) }) {
                // A bare addr-spec; words before it (a forgotten "<") are a display name.
                let start = addrSpecStart(phrase, at: at)
                let email = addrSpec(phrase[start...])
                guard !email.isEmpty else { return }
                var name = Phrase.text(of: phrase[..<start], problems: &problems)
                if name.isEmpty, let comment = comments.first { name = commentName(comment, problems: &problems) }
                addresses.append(MailAddress(name: name.isEmpty ? nil : name, email: email))
            } else {
                // No "@" at all (`MAILER-DAEMON`, `Undisclosed recipients`): keep the text as the
                // address rather than invent one.
                let text = Phrase.text(of: phrase[...], problems: &problems)
                guard !text.isEmpty else { return }
                let name = comments.first.map { commentName($0, problems: &problems) } ?? ""
                addresses.append(MailAddress(name: name.isEmpty ? nil : name, email: text))
            }
        }

        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .special(ASCII.lessThan):
                var inner: [HeaderToken] = []
                index += 1
                while index < tokens.count, tokens[index].kind != .special(ASCII.greaterThan) {
                    if tokens[index].kind != .comment { inner.append(tokens[index]) }
                    index += 1
                }
                // A second angle address in one entry replaces nothing: keep the first.
                if angle == nil { angle = inner }
            case .special(ASCII.colon) where angle == nil && !inGroup && !phrase.isEmpty:
                // Group start: its display name is not an address of its own.
                inGroup = true
                phrase.removeAll()
                comments.removeAll()
            case .special(ASCII.comma):
                finishMailbox()
            case .special(ASCII.semicolon):
                finishMailbox()
                inGroup = false
            case .comment:
                comments.append(token.bytes)
            case .special(ASCII.greaterThan):
                break  // stray
            default:
                if angle != nil {
                    // Text after the angle address (e.g. a missing comma); keep it out of the name.
                    break
                }
                phrase.append(token)
            }
            index += 1
        }
        finishMailbox()
        return addresses
    }

    /// Where the addr-spec around the `@` at `at` begins: walk left over tokens glued together
    /// or joined by `.` / `@` (obsolete syntax allows spaces around those).
    private static func addrSpecStart(_ tokens: [HeaderToken], at: Int) -> Int {
        func isJoiner(_ token: HeaderToken) -> Bool {
            token.kind == .special(ASCII.dot) || token.kind == .special(ASCII.at)
        }
        var start = at
        while start > 0 {
            let current = tokens[start]
            let previous = tokens[start - 1]
            guard !current.spaceBefore || isJoiner(current) || isJoiner(previous) else { break }
            start -= 1
        }
        return start
    }

    /// Obsolete source routes: `<@a,@b:user@host>` means `user@host`.
    private static func dropRoute(_ tokens: [HeaderToken]) -> ArraySlice<HeaderToken> {
        guard tokens.first?.kind == .special(ASCII.at),
              let colon = tokens.lastIndex(where: { $0.kind == .special(ASCII.colon) }) else { return tokens[...] }
        return tokens[(colon + 1)...]
    }

    /// An addr-spec written back without the whitespace and comments obsolete syntax allows in it.
    private static func addrSpec(_ tokens: ArraySlice<HeaderToken>) -> String {
        var bytes: [UInt8] = []
        for token in tokens {
            switch token.kind {
            case .comment:
                continue
            case .quoted:
                bytes.append(ASCII.quote)
                for byte in token.bytes {
                    if byte == ASCII.quote || byte == ASCII.backslash { bytes.append(ASCII.backslash) }
                    bytes.append(byte)
                }
                bytes.append(ASCII.quote)
            default:
                bytes.append(contentsOf: token.bytes)
            }
        }
        return String(utf8Bytes: bytes.trimmingWhitespace())
    }

    private static func commentName(_ comment: [UInt8], problems: inout [String]) -> String {
        Phrase.stripWrappingQuotes(EncodedWord.decode(utf8: comment, problems: &problems))
    }
}
