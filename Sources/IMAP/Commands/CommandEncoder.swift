import Codecs
/// Turns `Command`s into bytes. How values are written depends on what the server offers, so the
/// encoder is made from the session's capabilities.
///
///     let encoder = CommandEncoder(capabilities: session.capabilities)
///     let encoded = try encoder.encode(.select(MailboxName("Entwürfe")), tag: "A7")
public struct CommandEncoder: Sendable {
    /// Literals are sent as `{n+}` without waiting (RFC 7888 LITERAL+).
    public var literalPlus: Bool
    /// Literals up to 4096 octets are sent as `{n+}` without waiting (RFC 7888 LITERAL-).
    public var literalMinus: Bool
    /// The server offers BINARY (RFC 3516): APPEND may send a literal8.
    public var binary: Bool
    /// UTF8=ACCEPT is enabled (RFC 6855): quoted strings may carry UTF-8.
    public var utf8Accepted: Bool

    /// Longest value written as a quoted string; longer ones become literals.
    public static let maxQuotedLength = 256
    /// LITERAL- allows non-synchronizing literals up to this size.
    public static let literalMinusLimit = 4096

    public init(literalPlus: Bool = false, literalMinus: Bool = false, binary: Bool = false, utf8Accepted: Bool = false) {
        self.literalPlus = literalPlus; self.literalMinus = literalMinus
        self.binary = binary; self.utf8Accepted = utf8Accepted
    }

    /// Options from a server's capabilities; `utf8Accepted` from whether UTF8=ACCEPT was ENABLEd.
    public init(capabilities: Set<Capability>, utf8Accepted: Bool = false) {
        self.init(
            literalPlus: capabilities.contains(.literalPlus), literalMinus: capabilities.contains(.literalMinus),
            binary: capabilities.contains(.binary), utf8Accepted: utf8Accepted
        )
    }

    /// Whether a literal of `size` octets may be sent without waiting for `+`.
    public func isNonSynchronizing(size: Int) -> Bool {
        literalPlus || (literalMinus && size <= Self.literalMinusLimit)
    }

    /// Encodes `command` with `tag` (ignored for `DONE`).
    public func encode(_ command: Command, tag: String) throws(CommandEncodingError) -> EncodedCommand {
        var writer = CommandWriter(encoder: self)
        let hasTag: Bool
        if case .done = command { hasTag = false } else { hasTag = true }
        if hasTag {
            writer.raw(tag)
            writer.space()
        }
        try writeBody(command, into: &writer)
        writer.raw("\r\n")
        var log = writer.finishLog()
        switch command {
        case .login:
            log = "\(tag) LOGIN <redacted>"
        case .authenticate(let mechanism, let initial):
            log = "\(tag) AUTHENTICATE \(mechanism)" + (initial == nil ? "" : " <redacted>")
        default:
            break
        }
        return EncodedCommand(tag: hasTag ? tag : nil, name: command.name, parts: writer.finishParts(), logText: log)
    }

    /// A reply to an AUTHENTICATE continuation: the SASL bytes in base64 and CRLF.
    public static func saslResponse(_ bytes: [UInt8]) -> [UInt8] {
        Array(Base64.encode(bytes).utf8) + [13, 10]
    }

    /// Cancels an AUTHENTICATE exchange (`*` on its own line).
    public static let saslCancel: [UInt8] = Array("*\r\n".utf8)

    private func writeBody(_ command: Command, into w: inout CommandWriter) throws(CommandEncodingError) {
        switch command {
        case .capability, .namespace, .noop, .idle, .done, .logout, .startTLS, .close, .unselect:
            w.raw(command.name)
        case let .login(user, password):
            w.raw("LOGIN ")
            try w.astring(Array(user.utf8), field: "user name", allowAtom: true)
            w.space()
            try w.astring(Array(password.utf8), field: "password", allowAtom: true)
        case let .authenticate(mechanism, initialResponse):
            w.raw("AUTHENTICATE ")
            try w.atom(mechanism, field: "SASL mechanism")
            if let initialResponse {
                w.space()
                w.raw(initialResponse.isEmpty ? "=" : Base64.encode(initialResponse))
            }
        case let .enable(capabilities):
            guard !capabilities.isEmpty else { throw .empty(field: "ENABLE capability list") }
            w.raw("ENABLE")
            for capability in capabilities {
                w.space()
                try w.atom(capability.rawValue, field: "capability")
            }
        case let .list(reference, pattern, specialUse, status, subscribed):
            w.raw("LIST ")
            try w.mailbox(reference)
            w.space()
            try w.string(pattern.wireBytes, field: "LIST pattern")
            var options: [String] = []
            if subscribed { options.append("SUBSCRIBED") }
            if specialUse { options.append("SPECIAL-USE") }
            if !status.isEmpty { options.append("STATUS (" + status.map(\.rawValue).joined(separator: " ") + ")") }
            if !options.isEmpty { w.raw(" RETURN (" + options.joined(separator: " ") + ")") }
        case let .lsub(reference, pattern):
            w.raw("LSUB ")
            try w.mailbox(reference)
            w.space()
            try w.string(pattern.wireBytes, field: "LSUB pattern")
        case let .status(mailbox, attributes):
            guard !attributes.isEmpty else { throw .empty(field: "STATUS item list") }
            w.raw("STATUS ")
            try w.mailbox(mailbox)
            w.raw(" (" + attributes.map(\.rawValue).joined(separator: " ") + ")")
        case let .select(mailbox, condStore), let .examine(mailbox, condStore):
            w.raw(command.name + " ")
            try w.mailbox(mailbox)
            if condStore { w.raw(" (CONDSTORE)") }
        case let .selectQResync(mailbox, _, parameters):
            w.raw(command.name + " ")
            try w.mailbox(mailbox)
            w.raw(" (QRESYNC (\(parameters.uidValidity) \(parameters.modSeq)")
            if let known = parameters.knownUIDs, !known.isEmpty {
                w.space()
                try w.set(known, field: "QRESYNC known UIDs")
            }
            w.raw("))")
        case let .uidSearch(key, charset, returning):
            w.raw("UID SEARCH")
            if let returning { w.raw(" RETURN (" + returning.map(\.rawValue).joined(separator: " ") + ")") }
            if let charset {
                w.raw(" CHARSET ")
                try w.atom(charset, field: "charset")
            } else if key.containsNonASCII {
                w.raw(" CHARSET UTF-8")
            }
            w.space()
            try w.searchKey(key, topLevel: true)
        case let .fetch(set, items):
            w.raw("FETCH ")
            try w.set(set, field: "FETCH set")
            w.space()
            try w.fetchItems(items)
        case let .uidFetch(set, items, changedSince):
            w.raw("UID FETCH ")
            try w.set(set, field: "UID FETCH set")
            w.space()
            try w.fetchItems(items)
            if let changedSince { w.raw(" (CHANGEDSINCE \(changedSince))") }
        case let .uidFetchVanished(set, items, changedSince):
            w.raw("UID FETCH ")
            try w.set(set, field: "UID FETCH set")
            w.space()
            try w.fetchItems(items)
            w.raw(" (CHANGEDSINCE \(changedSince) VANISHED)")
        case let .uidStore(set, operation, silent, unchangedSince):
            w.raw("UID STORE ")
            try w.set(set, field: "UID STORE set")
            if let unchangedSince { w.raw(" (UNCHANGEDSINCE \(unchangedSince))") }
            let flags: [Flag]
            switch operation {
            case .add(let list): w.raw(" +FLAGS"); flags = list
            case .remove(let list): w.raw(" -FLAGS"); flags = list
            case .replace(let list): w.raw(" FLAGS"); flags = list
            }
            if silent { w.raw(".SILENT") }
            w.space()
            try w.flagList(flags)
        case let .uidCopy(set, mailbox), let .uidMove(set, mailbox):
            w.raw(command.name + " ")
            try w.set(set, field: "\(command.name) set")
            w.space()
            try w.mailbox(mailbox)
        case let .uidExpunge(set):
            w.raw("UID EXPUNGE ")
            try w.set(set, field: "UID EXPUNGE set")
        case let .append(mailbox, flags, date, size, binary):
            guard size >= 0 else { throw .invalidNumber(field: "APPEND size", value: size) }
            w.raw("APPEND ")
            try w.mailbox(mailbox)
            if !flags.isEmpty {
                w.space()
                try w.flagList(flags)
            }
            if let date {
                guard DateTimeSyntax.isValid(date) else { throw .invalidDate(date) }
                w.raw(" \"\(date)\"")
            }
            w.space()
            w.externalLiteral(size: size, binary: binary)
        case let .create(mailbox), let .delete(mailbox), let .subscribe(mailbox), let .unsubscribe(mailbox):
            w.raw(command.name + " ")
            try w.mailbox(mailbox)
        case let .rename(from, to):
            w.raw("RENAME ")
            try w.mailbox(from)
            w.space()
            try w.mailbox(to)
        case let .id(fields):
            w.raw("ID ")
            guard let fields, !fields.isEmpty else { w.raw("NIL"); return }
            w.raw("(")
            for (index, field) in fields.enumerated() {
                if index > 0 { w.space() }
                try w.string(Array(field.key.utf8), field: "ID field name")
                w.space()
                if let value = field.value { try w.string(Array(value.utf8), field: "ID value") } else { w.raw("NIL") }
            }
            w.raw(")")
        }
    }
}

/// RFC 3501 `date-time` without the quotes: `dd-Mon-yyyy hh:mm:ss +zzzz`, day space-padded or not.
enum DateTimeSyntax {
    static func isValid(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        // date-day-fixed is (SP DIGIT) / 2DIGIT; accept a single digit too, as servers do.
        if bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        if bytes.count == 25 { bytes.insert(UInt8(ascii: "0"), at: 0) }
        guard bytes.count == 26 else { return false }
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { bytes[$0] >= 48 && bytes[$0] <= 57 } }
        let month = String(decoding: bytes[3..<6], as: UTF8.self).uppercased()
        return digits(0..<2) && bytes[2] == UInt8(ascii: "-") && SearchDateText.months.contains { $0.uppercased() == month }
            && bytes[6] == UInt8(ascii: "-") && digits(7..<11) && bytes[11] == UInt8(ascii: " ")
            && digits(12..<14) && bytes[14] == UInt8(ascii: ":") && digits(15..<17) && bytes[17] == UInt8(ascii: ":")
            && digits(18..<20) && bytes[20] == UInt8(ascii: " ")
            && (bytes[21] == UInt8(ascii: "+") || bytes[21] == UInt8(ascii: "-")) && digits(22..<26)
    }
}
