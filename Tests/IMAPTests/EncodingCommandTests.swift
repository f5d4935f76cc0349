import Testing
@testable import IMAP

@Suite("Command encoding")
struct EncodingCommandTests {
    @Test("simple commands", arguments: [
        (Command.capability, "A1 CAPABILITY\r\n"),
        (.noop, "A1 NOOP\r\n"),
        (.idle, "A1 IDLE\r\n"),
        (.done, "DONE\r\n"),
        (.logout, "A1 LOGOUT\r\n"),
        (.startTLS, "A1 STARTTLS\r\n"),
        (.namespace, "A1 NAMESPACE\r\n"),
        (.close, "A1 CLOSE\r\n"),
        (.unselect, "A1 UNSELECT\r\n"),
        (.enable([.condStore, .qresync]), "A1 ENABLE CONDSTORE QRESYNC\r\n"),
        (.select(.inbox), "A1 SELECT \"INBOX\"\r\n"),
        (.examine(MailboxName("Entwürfe"), condStore: true), "A1 EXAMINE \"Entw&APw-rfe\" (CONDSTORE)\r\n"),
        (.create(MailboxName("Reports/2025")), "A1 CREATE \"Reports/2025\"\r\n"),
        (.delete(MailboxName("a b")), "A1 DELETE \"a b\"\r\n"),
        (.rename(from: MailboxName("a"), to: MailboxName("b&c")), "A1 RENAME \"a\" \"b&-c\"\r\n"),
        (.subscribe(MailboxName("x")), "A1 SUBSCRIBE \"x\"\r\n"),
        (.unsubscribe(MailboxName("x")), "A1 UNSUBSCRIBE \"x\"\r\n"),
        (.status(.inbox, [.messages, .uidNext, .uidValidity, .unseen]), "A1 STATUS \"INBOX\" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)\r\n"),
        (.list(reference: MailboxName(""), pattern: MailboxName("*")), "A1 LIST \"\" \"*\"\r\n"),
        (.list(reference: MailboxName(""), pattern: MailboxName("%"), returnSpecialUse: true, returnStatus: [.messages, .unseen], returnSubscribed: true),
         "A1 LIST \"\" \"%\" RETURN (SUBSCRIBED SPECIAL-USE STATUS (MESSAGES UNSEEN))\r\n"),
        (.lsub(reference: MailboxName(""), pattern: MailboxName("*")), "A1 LSUB \"\" \"*\"\r\n"),
        (.uidCopy(UIDSet([UID(3), UID(1), UID(2)]), MailboxName("Archive")), "A1 UID COPY 3,1,2 \"Archive\"\r\n"),
        (.uidMove(UIDSet(ranges: [MessageRange(UID(1), UID(9))]), MailboxName("Trash")), "A1 UID MOVE 1:9 \"Trash\"\r\n"),
        (.uidExpunge(UIDSet([UID(7)])), "A1 UID EXPUNGE 7\r\n"),
        (.id(nil), "A1 ID NIL\r\n"),
        (.id([(key: "name", value: "imap-gateway"), (key: "version", value: nil)]), "A1 ID (\"name\" \"imap-gateway\" \"version\" NIL)\r\n"),
        (.authenticate(mechanism: "PLAIN", initialResponse: Array("\0alice\0pw".utf8)), "A1 AUTHENTICATE PLAIN AGFsaWNlAHB3\r\n"),
        (.authenticate(mechanism: "XOAUTH2", initialResponse: nil), "A1 AUTHENTICATE XOAUTH2\r\n"),
        (.authenticate(mechanism: "PLAIN", initialResponse: []), "A1 AUTHENTICATE PLAIN =\r\n"),
    ] as [(Command, String)])
    func simple(command: Command, wire: String) throws {
        #expect(try Wire.text(command) == wire)
    }

    @Test("LOGIN: plain user as atom, password with space, quote and backslash quoted and escaped")
    func login() throws {
        let encoded = try Wire.sync.encode(.login(user: "alice", password: #"pa ss"wo\rd"#), tag: "A1")
        #expect(String(decoding: encoded.bytes, as: UTF8.self) == #"A1 LOGIN alice "pa ss\"wo\\rd""# + "\r\n")
        #expect(encoded.logText == "A1 LOGIN <redacted>")
        #expect(!encoded.logText.contains("pa ss"))
    }

    @Test("LOGIN: user NIL and user with specials are quoted; 8-bit password goes as literal, never logged")
    func loginLiteral() throws {
        #expect(try Wire.text(.login(user: "NIL", password: "x")) == "A1 LOGIN \"NIL\" x\r\n")
        #expect(try Wire.text(.login(user: "a b", password: "x")) == "A1 LOGIN \"a b\" x\r\n")
        let encoded = try Wire.sync.encode(.login(user: "bob", password: "pässwörd"), tag: "A1")
        #expect(encoded.parts == [
            .bytes(Array("A1 LOGIN bob {10}\r\n".utf8)), .awaitContinuation, .bytes(Array("pässwörd\r\n".utf8)),
        ])
        #expect(encoded.logText == "A1 LOGIN <redacted>")
        let auth = try Wire.sync.encode(.authenticate(mechanism: "PLAIN", initialResponse: Array("\0a\0secret".utf8)), tag: "A2")
        #expect(auth.logText == "A2 AUTHENTICATE PLAIN <redacted>")
    }

    @Test("literals: synchronizing waits, LITERAL+ never waits, LITERAL- only up to 4096 octets")
    func literalModes() throws {
        let name = MailboxName("Ordner é")   // "Ordner &AOk-": ASCII on the wire, so force a literal with 8-bit search text instead
        #expect(try Wire.text(.select(name)) == "A1 SELECT \"Ordner &AOk-\"\r\n")

        let text = SearchKey.text("é")
        let sync = try CommandEncoder().encode(.uidSearch(text), tag: "A1")
        #expect(sync.parts == [
            .bytes(Array("A1 UID SEARCH CHARSET UTF-8 TEXT {2}\r\n".utf8)), .awaitContinuation, .bytes(Array("é\r\n".utf8)),
        ])
        let plus = try CommandEncoder(literalPlus: true).encode(.uidSearch(text), tag: "A1")
        #expect(plus.parts == [.bytes(Array("A1 UID SEARCH CHARSET UTF-8 TEXT {2+}\r\né\r\n".utf8))])

        let minus = CommandEncoder(literalMinus: true)
        #expect(try minus.encode(.uidSearch(text), tag: "A1").parts.count == 1)
        let big = SearchKey.body(String(repeating: "é", count: 2049))   // 4098 octets
        let bigParts = try minus.encode(.uidSearch(big), tag: "A1").parts
        #expect(bigParts.contains(.awaitContinuation))
        #expect(String(decoding: try minus.encode(.uidSearch(big), tag: "A1").bytes, as: UTF8.self).contains("{4098}\r\n"))
    }

    @Test("capabilities choose the literal mode")
    func encoderFromCapabilities() {
        let encoder = CommandEncoder(capabilities: [.imap4rev1, .literalMinus, .binary])
        #expect(!encoder.literalPlus && encoder.literalMinus && encoder.binary)
        #expect(encoder.isNonSynchronizing(size: 4096))
        #expect(!encoder.isNonSynchronizing(size: 4097))
        #expect(CommandEncoder(capabilities: [.literalPlus]).isNonSynchronizing(size: 10_000_000))
    }

    @Test("a long value becomes a literal even when ASCII")
    func longValue() throws {
        let long = String(repeating: "x", count: 300)
        #expect(try Wire.text(.uidSearch(.subject(long)), encoder: Wire.literalPlus) == "A1 UID SEARCH SUBJECT {300+}\r\n\(long)\r\n")
    }

    @Test("UTF8=ACCEPT lets valid UTF-8 go quoted")
    func utf8Accept() throws {
        let encoder = CommandEncoder(utf8Accepted: true)
        #expect(try Wire.text(.select(MailboxName("Entwürfe", utf8: true)), encoder: encoder) == "A1 SELECT \"Entwürfe\"\r\n")
    }

    @Test("UID FETCH items, partial body, header fields, CHANGEDSINCE")
    func fetch() throws {
        let set = try UIDSet(parsing: "1:5,9")
        #expect(try Wire.text(.uidFetch(set, [.uid, .flags, .envelope, .bodyStructure, .rfc822Size, .internalDate])) ==
            "A1 UID FETCH 1:5,9 (UID FLAGS ENVELOPE BODYSTRUCTURE RFC822.SIZE INTERNALDATE)\r\n")
        #expect(try Wire.text(.uidFetch(set, [.bodyPeek(section: "", partial: nil)])) == "A1 UID FETCH 1:5,9 (BODY.PEEK[])\r\n")
        #expect(try Wire.text(.uidFetch(set, [.bodyPeek(section: "1.2", partial: (offset: 0, length: 100))])) ==
            "A1 UID FETCH 1:5,9 (BODY.PEEK[1.2]<0.100>)\r\n")
        #expect(try Wire.text(.uidFetch(set, [.bodyPeek(section: "2.MIME", partial: nil), .bodyPeek(section: "HEADER", partial: nil)])) ==
            "A1 UID FETCH 1:5,9 (BODY.PEEK[2.MIME] BODY.PEEK[HEADER])\r\n")
        #expect(try Wire.text(.uidFetch(set, [.headerFields(["Date", "From", "X-Mailer"])])) ==
            "A1 UID FETCH 1:5,9 (BODY.PEEK[HEADER.FIELDS (Date From X-Mailer)])\r\n")
        #expect(try Wire.text(.uidFetch(set, [.modSeq, .preview], changedSince: 12345)) ==
            "A1 UID FETCH 1:5,9 (MODSEQ PREVIEW) (CHANGEDSINCE 12345)\r\n")
    }

    @Test("invalid fetch arguments are refused", arguments: [
        (FetchItem.bodyPeek(section: "1]", partial: nil), CommandEncodingError.invalidSection("1]")),
        (.bodyPeek(section: "HEADER.1", partial: nil), .invalidSection("HEADER.1")),
        (.bodyPeek(section: "0", partial: nil), .invalidSection("0")),
        (.bodyPeek(section: "MIME", partial: nil), .invalidSection("MIME")),
        (.bodyPeek(section: "1", partial: (offset: -1, length: 5)), .invalidNumber(field: "partial offset", value: -1)),
        (.bodyPeek(section: "1", partial: (offset: 0, length: 0)), .invalidNumber(field: "partial length", value: 0)),
        (.headerFields(["Date)] UID"]), .invalidAtom(field: "header field name", value: "Date)] UID")),
        (.headerFields(["Subject:"]), .invalidAtom(field: "header field name", value: "Subject:")),
        (.headerFields([]), .empty(field: "HEADER.FIELDS list")),
    ])
    func invalidFetch(item: FetchItem, error: CommandEncodingError) {
        #expect(throws: error) { try Wire.text(.uidFetch(UIDSet([UID(1)]), [item])) }
    }

    @Test("UID STORE operations and flags")
    func store() throws {
        let set = UIDSet([UID(4)])
        #expect(try Wire.text(.uidStore(set, .add([.seen, .flagged]))) == "A1 UID STORE 4 +FLAGS (\\Seen \\Flagged)\r\n")
        #expect(try Wire.text(.uidStore(set, .remove([Flag("$Label1")]), silent: true)) == "A1 UID STORE 4 -FLAGS.SILENT ($Label1)\r\n")
        #expect(try Wire.text(.uidStore(set, .replace([]))) == "A1 UID STORE 4 FLAGS ()\r\n")
        #expect(try Wire.text(.uidStore(set, .add([.deleted]), silent: true, unchangedSince: 9)) ==
            "A1 UID STORE 4 (UNCHANGEDSINCE 9) +FLAGS.SILENT (\\Deleted)\r\n")
        #expect(try Wire.text(.uidStore(set, .add([Flag("OIB-Seen-[Gmail/Trash")]))) == "A1 UID STORE 4 +FLAGS (OIB-Seen-[Gmail/Trash)\r\n")
    }

    @Test("invalid flags and keywords are refused with a typed error", arguments: [
        (Flag("has space"), CommandEncodingError.invalidKeyword("has space")),
        (Flag("a)b"), .invalidKeyword("a)b")),
        (Flag("a]b"), .invalidKeyword("a]b")),
        (Flag("{5}"), .invalidKeyword("{5}")),
        (Flag("a\"b"), .invalidKeyword("a\"b")),
        (Flag("a%"), .invalidKeyword("a%")),
        (Flag("a*"), .invalidKeyword("a*")),
        (Flag("é"), .invalidKeyword("é")),
        (Flag(""), .invalidKeyword("")),
        (Flag("x\r\nA2 LOGOUT"), .forbiddenCharacter(field: "flag", byte: 13)),
        (Flag.wildcard, .invalidFlag("\\*")),
        (Flag("\\"), .invalidFlag("\\")),
        (Flag("\\Se en"), .invalidFlag("\\Se en")),
    ])
    func invalidFlags(flag: Flag, error: CommandEncodingError) {
        #expect(throws: error) { try Wire.text(.uidStore(UIDSet([UID(1)]), .add([flag]))) }
        #expect(throws: error) { try Wire.text(.append(.inbox, flags: [flag], size: 3)) }
    }

    @Test("APPEND announces the literal and leaves the message to the caller")
    func append() throws {
        let sync = try Wire.sync.encode(.append(MailboxName("Sent"), flags: [.seen], date: "17-Jul-1996 02:44:25 -0700", size: 42), tag: "A9")
        #expect(sync.parts == [
            .bytes(Array("A9 APPEND \"Sent\" (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {42}\r\n".utf8)),
            .awaitContinuation, .messageData(size: 42), .bytes([13, 10]),
        ])
        #expect(sync.logText == "A9 APPEND \"Sent\" (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {42}\\r\\n<message, 42 octets>")
        let plus = try Wire.literalPlus.encode(.append(.inbox, size: 5), tag: "A1")
        #expect(plus.parts == [.bytes(Array("A1 APPEND \"INBOX\" {5+}\r\n".utf8)), .messageData(size: 5), .bytes([13, 10])])
        let binary = try Wire.sync.encode(.append(.inbox, size: 5, binary: true), tag: "A1")
        #expect(binary.parts.first == .bytes(Array("A1 APPEND \"INBOX\" ~{5}\r\n".utf8)))
        #expect(try Wire.text(.append(.inbox, date: " 7-Jul-1996 02:44:25 +0000", size: 1)).contains("\" 7-Jul-1996 02:44:25 +0000\""))
    }

    @Test("APPEND refuses dates that are not IMAP date-times and negative sizes", arguments: [
        "17-Jul-1996", "17-Jul-1996 02:44:25 -0700\" {5}", "32-Foo-1996 02:44:25 -0700", "17-Jul-1996 02:44:25 -0700\r\n", "",
    ])
    func appendDate(date: String) {
        #expect(throws: CommandEncodingError.invalidDate(date)) { try Wire.text(.append(.inbox, date: date, size: 1)) }
    }

    @Test("empty lists and sets are refused")
    func empties() {
        #expect(throws: CommandEncodingError.empty(field: "UID FETCH set")) { try Wire.text(.uidFetch(UIDSet(ranges: []), [.uid])) }
        #expect(throws: CommandEncodingError.empty(field: "FETCH item list")) { try Wire.text(.uidFetch(UIDSet([UID(1)]), [])) }
        #expect(throws: CommandEncodingError.empty(field: "ENABLE capability list")) { try Wire.text(.enable([])) }
        #expect(throws: CommandEncodingError.empty(field: "STATUS item list")) { try Wire.text(.status(.inbox, [])) }
        #expect(throws: CommandEncodingError.invalidNumber(field: "APPEND size", value: -1)) { try Wire.text(.append(.inbox, size: -1)) }
    }

    @Test("SASL continuation replies are base64 lines")
    func sasl() {
        #expect(CommandEncoder.saslResponse([]) == Array("\r\n".utf8))
        #expect(String(decoding: CommandEncoder.saslResponse(Array("user=a\u{1}auth=Bearer t\u{1}\u{1}".utf8)), as: UTF8.self) ==
            "dXNlcj1hAWF1dGg9QmVhcmVyIHQBAQ==\r\n")
        #expect(CommandEncoder.saslCancel == Array("*\r\n".utf8))
    }

    @Test("commands carrying a UID set are split to keep lines under 1000 octets")
    func splitting() throws {
        let many = UIDSet(stride(from: UInt32(1_000_000), through: 1_100_000, by: 2).map { UID($0) })
        let mailbox = MailboxName("Archive/2024")
        for command in [
            Command.uidFetch(many, [.uid, .flags, .headerFields(["Date", "Subject"])]), .uidStore(many, .add([.deleted]), silent: true),
            .uidCopy(many, mailbox), .uidMove(many, mailbox), .uidExpunge(many),
        ] {
            let pieces = try Wire.sync.split(command)
            #expect(pieces.count > 10)
            var covered: [UID] = []
            for piece in pieces {
                let encoded = try Wire.sync.encode(piece, tag: "A123456789")
                #expect(encoded.firstLineLength + 2 <= 1000, "\(command.name) line too long")
                #expect(pieces.count < 600)
                switch piece {
                case let .uidFetch(set, _, _), let .uidStore(set, _, _, _), let .uidCopy(set, _), let .uidMove(set, _), let .uidExpunge(set):
                    covered += set.identifiers ?? []
                default: Issue.record("unexpected command \(piece.name)")
                }
            }
            #expect(covered == many.identifiers)
        }
        #expect(try Wire.sync.split(.noop).count == 1)
        #expect(try Wire.sync.split(.uidExpunge(UIDSet([UID(1)]))).count == 1)
    }
}
