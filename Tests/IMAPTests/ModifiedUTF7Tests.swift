import Testing
@testable import IMAP

@Suite("Modified UTF-7 mailbox names")
struct ModifiedUTF7Tests {
    private func decode(_ text: String) -> String? { ModifiedUTF7.decode(Array(text.utf8)) }
    private func encode(_ text: String) -> String { String(decoding: ModifiedUTF7.encode(text), as: UTF8.self) }

    @Test("known names decode", arguments: [
        ("&-", "&"),
        ("R&AOk-pertoire", "Répertoire"),
        ("&2Dzf49g83+M-", "\u{1F3E3}\u{1F3E3}"),
        ("INBOX", "INBOX"),
        ("Entw&APw-rfe", "Entwürfe"),
        ("&ZeVnLIqe-", "日本語"),
        ("~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/台北/日本語"),
        ("A &- B", "A & B"),
        ("", ""),
    ])
    func decodes(wire: String, expected: String) {
        #expect(decode(wire) == expected)
    }

    @Test("&2Dzf49g83+M- is two surrogate pairs (U+1F3E3 twice) and encodes back the same")
    func surrogates() throws {
        let decoded = try #require(decode("&2Dzf49g83+M-"))
        #expect(decoded.unicodeScalars.map(\.value) == [0x1F3E3, 0x1F3E3])
        #expect(encode(decoded) == "&2Dzf49g83+M-")
    }

    @Test("invalid names are refused so the caller keeps them raw", arguments: [
        "&aa==-", "&Jjo!", "&Jjo", "&AGE-", "&2D0-", "caf\u{E9}", "&&-", "&AOk",
    ])
    func invalid(wire: String) {
        #expect(decode(wire) == nil)
        // MailboxName keeps the raw bytes and shows them as UTF-8.
        let name = MailboxName(wire: Array(wire.utf8))
        #expect(name.displayName == wire)
        #expect(name.wireBytes == Array(wire.utf8))
    }

    @Test("encoding", arguments: [
        ("&", "&-"),
        ("Répertoire", "R&AOk-pertoire"),
        ("Entwürfe", "Entw&APw-rfe"),
        ("日本語", "&ZeVnLIqe-"),
        ("a/台北", "a/&U,BTFw-"),
        ("Tom & Jerry", "Tom &- Jerry"),
        ("tab\there", "tab&AAk-here"),
    ])
    func encodes(name: String, wire: String) {
        #expect(encode(name) == wire)
    }

    @Test("round trip of many names, emoji included")
    func roundTrip() {
        let names = [
            "INBOX", "Sent Items", "[Gmail]/All Mail", "Entwürfe", "Корзина", "草稿", "📁 Projects 🚀",
            "a&b", "&&&", "&-", "100% done", "quote\"d", "back\\slash", "München/Überblick",
            "👨‍👩‍👧‍👦", "ǅ", "\u{7F}", "mix é&ü日&本", "end with é", "é", "ü&", "~", "a-b&-c",
            String(repeating: "ß", count: 200),
        ]
        for name in names {
            let wire = ModifiedUTF7.encode(name)
            #expect(wire.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }, "\(name) must encode to printable ASCII")
            #expect(ModifiedUTF7.decode(wire) == name, "\(name) must round-trip")
            #expect(MailboxName(wire: wire).displayName == name)
        }
    }
}
