/// Accumulates one command's bytes, cutting them into parts at synchronizing literals, and keeps
/// a parallel text for logs in which literal payloads are summarised.
struct CommandWriter {
    let encoder: CommandEncoder
    private var parts: [CommandPart] = []
    private var pending: [UInt8] = []
    private var log: [UInt8] = []

    init(encoder: CommandEncoder) { self.encoder = encoder }

    mutating func raw(_ text: String) { raw(Array(text.utf8)) }
    mutating func raw(_ bytes: [UInt8]) { pending += bytes; log += bytes }
    mutating func space() { raw([UInt8(ascii: " ")]) }

    mutating func finishParts() -> [CommandPart] {
        if !pending.isEmpty { parts.append(.bytes(pending)); pending = [] }
        return parts
    }

    /// The log text without the final CRLF; CR and LF inside (from literals) shown escaped.
    mutating func finishLog() -> String {
        var text = log
        if text.suffix(2) == [13, 10] { text.removeLast(2) }
        return String(decoding: text, as: UTF8.self)
            .replacingCRLF()
    }

    // MARK: Strings

    /// RFC 3501 `atom`: refuses anything else with a typed error.
    mutating func atom(_ value: String, field: String) throws(CommandEncodingError) {
        let bytes = Array(value.utf8)
        if let bad = bytes.first(where: { $0 == 0 || $0 == 13 || $0 == 10 }) {
            throw .forbiddenCharacter(field: field, byte: bad)
        }
        guard IMAPSyntax.isAtom(bytes) else { throw .invalidAtom(field: field, value: value) }
        raw(bytes)
    }

    /// RFC 3501 `astring`: an atom when `allowAtom` and the value is plainly safe, else a quoted
    /// string when it can be one, else a literal.
    mutating func astring(_ bytes: [UInt8], field: String, allowAtom: Bool) throws(CommandEncodingError) {
        if allowAtom, IMAPSyntax.isSafeAtom(bytes) {
            raw(bytes)
        } else {
            try string(bytes, field: field)
        }
    }

    /// RFC 3501 `string`: quoted when possible, else a literal. NUL is refused (no `string` may
    /// hold it); CR and LF force a literal, where they are harmless because the length counts them.
    mutating func string(_ bytes: [UInt8], field: String) throws(CommandEncodingError) {
        if bytes.contains(0) { throw .forbiddenCharacter(field: field, byte: 0) }
        if IMAPSyntax.isQuotable(bytes, utf8Accepted: encoder.utf8Accepted) {
            quoted(bytes)
        } else {
            literal(bytes)
        }
    }

    /// A mailbox name: always quoted or a literal, never an atom, so names like `NIL` or `%` stay names.
    mutating func mailbox(_ name: MailboxName) throws(CommandEncodingError) {
        try string(name.wireBytes, field: "mailbox name '\(name.displayName)'")
    }

    private mutating func quoted(_ bytes: [UInt8]) {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(bytes.count + 2)
        for byte in bytes {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
        raw(out)
    }

    /// `{n}` or `{n+}`, CRLF, then the data. A synchronizing literal closes the current part and
    /// adds a wait for the server's `+`.
    private mutating func literal(_ bytes: [UInt8]) {
        let nonSync = encoder.isNonSynchronizing(size: bytes.count)
        raw("{\(bytes.count)\(nonSync ? "+" : "")}\r\n")
        if !nonSync {
            parts.append(.bytes(pending))
            pending = []
            parts.append(.awaitContinuation)
        }
        pending += bytes
        log += Array("<\(bytes.count) octets>".utf8)
    }

    /// APPEND's message: the announcement here, the data from the caller.
    mutating func externalLiteral(size: Int, binary: Bool) {
        let nonSync = encoder.isNonSynchronizing(size: size)
        raw("\(binary ? "~" : ""){\(size)\(nonSync ? "+" : "")}\r\n")
        parts.append(.bytes(pending))
        pending = []
        if !nonSync { parts.append(.awaitContinuation) }
        parts.append(.messageData(size: size))
        log += Array("<message, \(size) octets>".utf8)
    }

    // MARK: Sets, flags

    mutating func set<ID>(_ set: MessageSet<ID>, field: String) throws(CommandEncodingError) {
        guard !set.isEmpty else { throw .empty(field: field) }
        raw(set.wireText)
    }

    /// `(\Seen $Label)`: system flags as `\atom`, keywords validated as atoms.
    mutating func flagList(_ flags: [Flag]) throws(CommandEncodingError) {
        raw("(")
        for (index, flag) in flags.enumerated() {
            if index > 0 { space() }
            try self.flag(flag)
        }
        raw(")")
    }

    mutating func flag(_ flag: Flag) throws(CommandEncodingError) {
        let bytes = Array(flag.rawValue.utf8)
        if let bad = bytes.first(where: { $0 == 0 || $0 == 13 || $0 == 10 }) {
            throw .forbiddenCharacter(field: "flag", byte: bad)
        }
        if flag.isSystemFlag {
            // `\*` only appears in PERMANENTFLAGS; it is not a flag one can set.
            guard bytes.count > 1, IMAPSyntax.isAtom(Array(bytes.dropFirst())) else { throw .invalidFlag(flag.rawValue) }
        } else {
            guard IMAPSyntax.isAtom(bytes) else { throw .invalidKeyword(flag.rawValue) }
        }
        raw(bytes)
    }
}

extension String {
    /// CR and LF shown as `\r` and `\n` so a log line stays one line.
    fileprivate func replacingCRLF() -> String {
        var out = ""
        for character in unicodeScalars {
            switch character {
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
