import Testing
@testable import IMAP

/// Whatever a user types, the command keeps its shape: one tag, one command, and the user's
/// bytes arrive at the server as exactly one string.
@Suite("Command injection")
struct EncodingInjectionTests {
    static let attacks = [
        "\"", "\\", "a\" OR ALL \"", "x\\\" ALL", "\r\nA2 LOGOUT", "x\rA2 LOGOUT", "x\nA2 LOGOUT",
        "{5}", "{5}\r\nHELLO", "{5+}", "~{5}", ")", ") ALL (", "*", "%", "]", "[", "NIL", "(", "\u{1}\u{7F}",
        "\"\r\n* OK injected\r\n", "é\r\nA2 DELETE INBOX",
    ]

    /// Reads one IMAP `string` (quoted or literal) from the start of `bytes`; returns the value and
    /// what follows it. Independent of the encoder, so the tests check the wire, not the code.
    private func readString(_ bytes: ArraySlice<UInt8>, atomAllowed: Bool = false) -> (value: [UInt8], rest: ArraySlice<UInt8>)? {
        guard let first = bytes.first else { return nil }
        if atomAllowed, IMAPSyntax.isAtomChar(first) {
            let end = bytes.firstIndex { !IMAPSyntax.isAtomChar($0) } ?? bytes.endIndex
            return (Array(bytes[..<end]), bytes[end...])
        }
        if first == UInt8(ascii: "\"") {
            var value: [UInt8] = []
            var index = bytes.index(after: bytes.startIndex)
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    guard index < bytes.endIndex else { return nil }
                    value.append(bytes[index])
                } else if byte == UInt8(ascii: "\"") {
                    return (value, bytes[(index + 1)...])
                } else {
                    if byte == 13 || byte == 10 || byte == 0 { return nil }
                    value.append(byte)
                }
                index += 1
            }
            return nil
        }
        guard first == UInt8(ascii: "{"), let close = bytes.firstIndex(of: UInt8(ascii: "}")) else { return nil }
        var digits = bytes[(bytes.startIndex + 1)..<close]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard let count = Int(String(decoding: digits, as: UTF8.self)),
              bytes[(close + 1)...].prefix(2) == [13, 10] else { return nil }
        let start = close + 3
        guard bytes.endIndex - start >= count else { return nil }
        return (Array(bytes[start..<(start + count)]), bytes[(start + count)...])
    }

    @Test("search text arrives as exactly one string", arguments: attacks)
    func searchText(attack: String) throws {
        for encoder in [Wire.sync, Wire.literalPlus] {
            let encoded = try encoder.encode(.uidSearch(.subject(attack)), tag: "A1")
            let wire = encoded.bytes
            let prefix = Array((attack.utf8.contains { $0 >= 0x80 } ? "A1 UID SEARCH CHARSET UTF-8 SUBJECT " : "A1 UID SEARCH SUBJECT ").utf8)
            #expect(Array(wire.prefix(prefix.count)) == prefix)
            let parsed = try #require(readString(wire[prefix.count...]))
            #expect(parsed.value == Array(attack.utf8))
            #expect(Array(parsed.rest) == [13, 10], "nothing may follow the string but the end of the command")
            // LITERAL+ never waits; otherwise each literal means one wait for `+`.
            let waits = encoded.parts.filter { $0 == .awaitContinuation }.count
            let literals = String(decoding: wire.prefix(prefix.count + 1), as: UTF8.self).hasSuffix("{") ? 1 : 0
            #expect(waits == (encoder.literalPlus ? 0 : literals))
        }
    }

    @Test("mailbox names arrive as exactly one string", arguments: attacks)
    func mailboxNames(attack: String) throws {
        let name = MailboxName(attack)
        let wire = try Wire.literalPlus.encode(.create(name), tag: "A1").bytes
        let prefix = Array("A1 CREATE ".utf8)
        #expect(Array(wire.prefix(prefix.count)) == prefix)
        let parsed = try #require(readString(wire[prefix.count...]))
        #expect(parsed.value == name.wireBytes)
        #expect(MailboxName(wire: parsed.value).displayName == attack)
        #expect(Array(parsed.rest) == [13, 10])
    }

    @Test("LOGIN credentials arrive as exactly two strings", arguments: attacks)
    func login(attack: String) throws {
        let wire = try Wire.literalPlus.encode(.login(user: "u" + attack, password: attack), tag: "A1").bytes
        let prefix = Array("A1 LOGIN ".utf8)
        let user = try #require(readString(wire[prefix.count...], atomAllowed: true))
        #expect(user.value == Array(("u" + attack).utf8))
        #expect(user.rest.first == UInt8(ascii: " "))
        let password = try #require(readString(user.rest.dropFirst(), atomAllowed: true))
        #expect(password.value == Array(attack.utf8))
        #expect(Array(password.rest) == [13, 10])
    }

    @Test("a synchronizing literal splits the command where the server must answer +")
    func synchronizingSplit() throws {
        let encoded = try Wire.sync.encode(.uidSearch(.or(.from("\r\n"), .to("ok"))), tag: "A1")
        #expect(encoded.parts == [
            .bytes(Array("A1 UID SEARCH OR FROM {2}\r\n".utf8)), .awaitContinuation,
            .bytes(Array("\r\n TO \"ok\"\r\n".utf8)),
        ])
        #expect(encoded.logText == "A1 UID SEARCH OR FROM {2}\\r\\n<2 octets> TO \"ok\"")
    }

    @Test("NUL is refused in every string, CR and LF in atoms")
    func forbidden() {
        #expect(throws: CommandEncodingError.forbiddenCharacter(field: "password", byte: 0)) {
            try Wire.text(.login(user: "a", password: "x\0y"))
        }
        #expect(throws: CommandEncodingError.forbiddenCharacter(field: "mailbox name 'a\0'", byte: 0)) {
            try Wire.text(.create(MailboxName("a\0", utf8: true)))
        }
        #expect(throws: CommandEncodingError.forbiddenCharacter(field: "SASL mechanism", byte: 13)) {
            try Wire.text(.authenticate(mechanism: "PLAIN\r\nA2 LOGOUT", initialResponse: nil))
        }
        #expect(throws: CommandEncodingError.invalidAtom(field: "capability", value: "CONDSTORE QRESYNC")) {
            try Wire.text(.enable([Capability("condstore qresync")]))
        }
        #expect(throws: CommandEncodingError.forbiddenCharacter(field: "ID value", byte: 0)) {
            try Wire.text(.id([(key: "name", value: "\0")]))
        }
    }

    @Test("error descriptions never contain the refused value of a password")
    func noSecretsInErrors() {
        do {
            _ = try Wire.text(.login(user: "a", password: "s3cret\0"))
            Issue.record("expected an error")
        } catch {
            #expect(!String(describing: error).contains("s3cret"))
        }
        #expect(!String(describing: Command.login(user: "a", password: "s3cret")).contains("s3cret"))
    }
}
