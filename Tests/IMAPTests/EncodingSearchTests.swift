import Testing
@testable import IMAP

@Suite("SEARCH encoding")
struct EncodingSearchTests {
    private func search(_ key: SearchKey, charset: String? = nil, returning: [SearchReturnOption]? = nil) throws -> String {
        try Wire.text(.uidSearch(key, charset: charset, returning: returning), encoder: Wire.literalPlus)
    }

    private func date(_ y: Int, _ m: Int, _ d: Int) -> SearchDate { SearchDate(year: y, month: m, day: d)! }

    @Test("flags, dates, sizes and sets")
    func simpleKeys() throws {
        #expect(try search(.all) == "A1 UID SEARCH ALL\r\n")
        #expect(try search(.and([])) == "A1 UID SEARCH ALL\r\n")
        #expect(try search(.and([.unseen, .flagged])) == "A1 UID SEARCH UNSEEN FLAGGED\r\n")
        #expect(try search(.since(date(2013, 7, 13))) == "A1 UID SEARCH SINCE 13-Jul-2013\r\n")
        #expect(try search(.and([.before(date(2024, 1, 31)), .on(date(2024, 12, 1)), .sentSince(date(1999, 2, 28))])) ==
            "A1 UID SEARCH BEFORE 31-Jan-2024 ON 1-Dec-2024 SENTSINCE 28-Feb-1999\r\n")
        #expect(try search(.and([.larger(10240), .smaller(2_097_152)])) == "A1 UID SEARCH LARGER 10240 SMALLER 2097152\r\n")
        #expect(try search(.uid(try UIDSet(parsing: "100:200"))) == "A1 UID SEARCH UID 100:200\r\n")
        #expect(try search(.sequence(try SequenceNumberSet(parsing: "1:*"))) == "A1 UID SEARCH 1:*\r\n")
        #expect(try search(.keyword(Flag("$Label1"))) == "A1 UID SEARCH KEYWORD $Label1\r\n")
        #expect(try search(.unkeyword(Flag("$Junk"))) == "A1 UID SEARCH UNKEYWORD $Junk\r\n")
        #expect(try search(.modSeq(90060115194045007)) == "A1 UID SEARCH MODSEQ 90060115194045007\r\n")
    }

    @Test("all month names are English three-letter abbreviations")
    func months() throws {
        let names = (1...12).map { date(2024, $0, 1).wireText }
        #expect(names == ["1-Jan-2024", "1-Feb-2024", "1-Mar-2024", "1-Apr-2024", "1-May-2024", "1-Jun-2024",
                          "1-Jul-2024", "1-Aug-2024", "1-Sep-2024", "1-Oct-2024", "1-Nov-2024", "1-Dec-2024"])
    }

    @Test("the seed's example: SINCE 13-Jul-2013 TEXT Apress, with the text quoted")
    func seedExample() throws {
        #expect(try search(.and([.since(date(2013, 7, 13)), .text("Apress")])) == "A1 UID SEARCH SINCE 13-Jul-2013 TEXT \"Apress\"\r\n")
    }

    @Test("user strings are always quoted or literal, never atoms")
    func userStrings() throws {
        #expect(try search(.from("ann")) == "A1 UID SEARCH FROM \"ann\"\r\n")
        #expect(try search(.and([.to("b"), .cc("c"), .bcc("d"), .subject("two words"), .body("x")])) ==
            "A1 UID SEARCH TO \"b\" CC \"c\" BCC \"d\" SUBJECT \"two words\" BODY \"x\"\r\n")
        #expect(try search(.header(name: "X-Mailer", value: "foo")) == "A1 UID SEARCH HEADER \"X-Mailer\" \"foo\"\r\n")
        #expect(try search(.subject("")) == "A1 UID SEARCH SUBJECT \"\"\r\n")
        #expect(try search(.gmailRaw("has:attachment older_than:2d")) == "A1 UID SEARCH X-GM-RAW \"has:attachment older_than:2d\"\r\n")
        #expect(try search(.gmailRaw(#"subject:"a" \ OR ALL"#)) == #"A1 UID SEARCH X-GM-RAW "subject:\"a\" \\ OR ALL""# + "\r\n")
        #expect(try search(.gmailRaw("subject:Grüße")) == "A1 UID SEARCH CHARSET UTF-8 X-GM-RAW {15+}\r\nsubject:Grüße\r\n")
    }

    @Test("NOT, OR and nested AND get parentheses where needed")
    func logic() throws {
        #expect(try search(.not(.seen)) == "A1 UID SEARCH NOT SEEN\r\n")
        #expect(try search(.or(.from("a"), .from("b"))) == "A1 UID SEARCH OR FROM \"a\" FROM \"b\"\r\n")
        #expect(try search(.or(.and([.from("a"), .seen]), .not(.and([.flagged, .draft])))) ==
            "A1 UID SEARCH OR (FROM \"a\" SEEN) NOT (FLAGGED DRAFT)\r\n")
        #expect(try search(.and([.or(.seen, .and([])), .and([.and([.new])])])) == "A1 UID SEARCH OR SEEN ALL NEW\r\n")
        #expect(try search(.not(.and([]))) == "A1 UID SEARCH NOT ALL\r\n")
        #expect(try search(.and([.seen, .and([.draft, .deleted])])) == "A1 UID SEARCH SEEN (DRAFT DELETED)\r\n")
    }

    @Test("non-ASCII text adds CHARSET UTF-8 and travels as a literal")
    func charset() throws {
        #expect(try search(.subject("Grüße")) == "A1 UID SEARCH CHARSET UTF-8 SUBJECT {7+}\r\nGrüße\r\n")
        #expect(try search(.not(.or(.seen, .header(name: "X-Tag", value: "日本")))) ==
            "A1 UID SEARCH CHARSET UTF-8 NOT OR SEEN HEADER \"X-Tag\" {6+}\r\n日本\r\n")
        #expect(try search(.subject("plain")) == "A1 UID SEARCH SUBJECT \"plain\"\r\n")
        #expect(try search(.subject("x"), charset: "US-ASCII") == "A1 UID SEARCH CHARSET US-ASCII SUBJECT \"x\"\r\n")
        #expect(throws: CommandEncodingError.invalidAtom(field: "charset", value: "UTF 8")) { try search(.all, charset: "UTF 8") }
    }

    @Test("ESEARCH RETURN options come before CHARSET")
    func esearch() throws {
        #expect(try search(.all, returning: [.all]) == "A1 UID SEARCH RETURN (ALL) ALL\r\n")
        #expect(try search(.text("é"), returning: [.min, .max, .count]) == "A1 UID SEARCH RETURN (MIN MAX COUNT) CHARSET UTF-8 TEXT {2+}\r\né\r\n")
        #expect(try search(.all, returning: []) == "A1 UID SEARCH RETURN () ALL\r\n")
    }

    @Test("invalid search arguments are refused")
    func invalid() {
        #expect(throws: CommandEncodingError.invalidNumber(field: "LARGER", value: -1)) { try search(.larger(-1)) }
        #expect(throws: CommandEncodingError.invalidNumber(field: "SMALLER", value: -5)) { try search(.smaller(-5)) }
        #expect(throws: CommandEncodingError.invalidKeyword("a b")) { try search(.keyword(Flag("a b"))) }
        #expect(throws: CommandEncodingError.invalidKeyword("\\Seen")) { try search(.keyword(.seen)) }
        #expect(throws: CommandEncodingError.empty(field: "SEARCH UID set")) { try search(.uid(UIDSet(ranges: []))) }
        #expect(throws: CommandEncodingError.forbiddenCharacter(field: "TEXT search text", byte: 0)) { try search(.text("a\0b")) }
    }

    @Test("SearchDate refuses days that do not exist")
    func dates() {
        #expect(SearchDate(year: 2024, month: 2, day: 29) != nil)
        #expect(SearchDate(year: 2023, month: 2, day: 29) == nil)
        #expect(SearchDate(year: 2024, month: 13, day: 1) == nil)
        #expect(SearchDate(year: 0, month: 1, day: 1) == nil)
    }
}
