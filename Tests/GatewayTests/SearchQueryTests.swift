import Gateway
import IMAP
import Testing

/// Shorthands so the tables read like the queries they check.
private func date(_ year: Int, _ month: Int, _ day: Int) -> SearchDate {
    SearchDate(year: year, month: month, day: day)!
}

private func uids(_ ranges: (UInt32, UInt32?)...) -> SearchKey {
    .uid(UIDSet(ranges: ranges.map { MessageRange(UID($0.0), $0.1.map(UID.init(_:))) }))
}

@Suite("SearchQuery: parsing")
struct SearchQueryParsingTests {
    @Test("text terms", arguments: [
        ("", SearchKey.all),
        ("   \t ", .all),
        ("invoice", .text("invoice")),
        ("\"two words\"", .text("two words")),
        ("  padded  ", .text("padded")),
        ("café", .text("café")),
        ("Grüße 東京 🙂", .and([.text("Grüße"), .text("東京"), .text("🙂")])),
        ("\"Grüße aus Köln\"", .text("Grüße aus Köln")),
        ("10:30", .text("10:30")),
        ("a-b", .text("a-b")),
        ("or", .text("or")),
        ("\"OR\"", .text("OR")),
        ("\"from:ann\"", .text("from:ann")),
        ("\"http://example.com/x\"", .text("http://example.com/x")),
        ("it's", .text("it's")),
        ("ab\"cd\"", .and([.text("ab"), .text("cd")])),
        ("$100", .text("$100")),
        ("100%", .text("100%")),
        ("{5}", .text("{5}")),
        ("a\\b", .text("a\\b")),
    ] as [(String, SearchKey)])
    func text(query: String, expected: SearchKey) throws {
        #expect(try SearchQuery.parse(query) == expected)
    }

    @Test("quotes and backslashes", arguments: [
        (#""say \"hi\"""#, SearchKey.text(#"say "hi""#)),
        (#""back\\slash""#, .text(#"back\slash"#)),
        (#""C:\temp""#, .text(#"C:\temp"#)),
        (#""ends with \\""#, .text(#"ends with \"#)),
        (#"subject:"a \"b\" c""#, .subject(#"a "b" c"#)),
        (#"from:"O'Brien, \"Pat\"""#, .from(#"O'Brien, "Pat""#)),
        (#""(not a group)""#, .text("(not a group)")),
        (#""a OR b""#, .text("a OR b")),
        ("\"a) UID 1:* {5}\"", .text("a) UID 1:* {5}")),
    ] as [(String, SearchKey)])
    func quoting(query: String, expected: SearchKey) throws {
        #expect(try SearchQuery.parse(query) == expected)
    }

    @Test("address and text operators", arguments: [
        ("from:ann", SearchKey.from("ann")),
        ("From:Ann", .from("Ann")),
        ("FROM:ann@example.com", .from("ann@example.com")),
        ("to:bob@example.com", .to("bob@example.com")),
        ("cc:carol", .cc("carol")),
        ("bcc:dave", .bcc("dave")),
        ("subject:report", .subject("report")),
        ("subject:\"two words\"", .subject("two words")),
        ("subject:Überweisung", .subject("Überweisung")),
        ("body:invoice", .body("invoice")),
        ("body:\"line one\"", .body("line one")),
        ("from:-ann", .from("-ann")),
        ("from:a:b", .from("a:b")),
    ] as [(String, SearchKey)])
    func operators(query: String, expected: SearchKey) throws {
        #expect(try SearchQuery.parse(query) == expected)
    }

    @Test("dates", arguments: [
        ("since:2024-01-31", SearchKey.since(date(2024, 1, 31))),
        ("before:2024-12-01", .before(date(2024, 12, 1))),
        ("on:2024-02-29", .on(date(2024, 2, 29))),
        ("on:2000-02-29", .on(date(2000, 2, 29))),
        ("since:2013-07-13 Apress", .and([.since(date(2013, 7, 13)), .text("Apress")])),
        ("since:\"2024-01-31\"", .since(date(2024, 1, 31))),
    ] as [(String, SearchKey)])
    func dates(query: String, expected: SearchKey) throws {
        #expect(try SearchQuery.parse(query) == expected)
    }

    @Test("flags and keywords", arguments: [
        ("is:unread", SearchKey.unseen),
        ("is:unseen", .unseen),
        ("is:read", .seen),
        ("is:seen", .seen),
        ("is:flagged", .flagged),
        ("is:unflagged", .unflagged),
        ("is:answered", .answered),
        ("is:unanswered", .unanswered),
        ("is:draft", .draft),
        ("is:undraft", .undraft),
        ("is:deleted", .deleted),
        ("is:undeleted", .undeleted),
        ("is:UNREAD", .unseen),
        ("keyword:$Label1", .keyword(Flag("$Label1"))),
        ("keyword:$Forwarded", .keyword(Flag("$Forwarded"))),
        ("keyword:Work-2024", .keyword(Flag("Work-2024"))),
        ("keyword:de:hacking", .keyword(Flag("de:hacking"))),
        ("keyword:[css3-page", .keyword(Flag("[css3-page"))),
        ("-keyword:$Junk", .not(.keyword(Flag("$Junk")))),
    ] as [(String, SearchKey)])
    func flags(query: String, expected: SearchKey) throws {
        #expect(try SearchQuery.parse(query) == expected)
    }

    @Test("sizes, headers, UIDs", arguments: [
        ("larger:10K", SearchKey.larger(10 * 1024)),
        ("larger:10k", .larger(10 * 1024)),
        ("smaller:2M", .smaller(2 * 1024 * 1024)),
        ("larger:3G", .larger(3 * 1024 * 1024 * 1024)),
        ("larger:0", .larger(0)),
        ("smaller:1500", .smaller(1500)),
        ("larger:4294967295", .larger(4_294_967_295)),
        ("header:X-Mailer:foo", .header(name: "X-Mailer", value: "foo")),
        ("header:X-Mailer:\"Apple Mail (2.3)\"", .header(name: "X-Mailer", value: "Apple Mail (2.3)")),
        ("header:\"List-Id:dev list\"", .header(name: "List-Id", value: "dev list")),
        ("header:X-Spam-Flag:", .header(name: "X-Spam-Flag", value: "")),
        ("header:X-Time:10:30", .header(name: "X-Time", value: "10:30")),
        ("uid:5", uids((5, 5))),
        ("uid:100:200", uids((100, 200))),
        ("uid:200:100", uids((100, 200))),
        ("uid:1,3,5:7", uids((1, 1), (3, 3), (5, 7))),
        ("uid:100:*", uids((100, nil))),
        ("uid:*:100", uids((100, nil))),
        ("uid:4294967295", uids((4_294_967_295, 4_294_967_295))),
        ("gmail:\"has:attachment older_than:2d\"", .gmailRaw("has:attachment older_than:2d")),
        ("GMAIL:in:sent", .gmailRaw("in:sent")),
        ("gmail:\"subject:\\\"a b\\\"\" is:unread", .and([.gmailRaw("subject:\"a b\""), .unseen])),
        ("-gmail:label:work", .not(.gmailRaw("label:work"))),
    ] as [(String, SearchKey)])
    func values(query: String, expected: SearchKey) throws {
        #expect(try SearchQuery.parse(query) == expected)
    }

    @Test("AND, OR, NOT and groups", arguments: [
        ("a b", SearchKey.and([.text("a"), .text("b")])),
        ("a b c", .and([.text("a"), .text("b"), .text("c")])),
        ("a OR b", .or(.text("a"), .text("b"))),
        ("a OR b OR c", .or(.or(.text("a"), .text("b")), .text("c"))),
        ("a OR -b", .or(.text("a"), .not(.text("b")))),
        ("a OR \"b c\"", .or(.text("a"), .text("b c"))),
        ("a AND b", .and([.text("a"), .text("b")])),
        ("a AND b OR c", .and([.text("a"), .or(.text("b"), .text("c"))])),
        ("a OR b AND c", .and([.or(.text("a"), .text("b")), .text("c")])),
        ("a AND (b OR c) AND -d", .and([.text("a"), .or(.text("b"), .text("c")), .not(.text("d"))])),
        ("and", .text("and")),
        ("\"AND\"", .text("AND")),
        ("ANDROID", .text("ANDROID")),
        ("ORANGE", .text("ORANGE")),
        ("a b OR c", .and([.text("a"), .or(.text("b"), .text("c"))])),
        ("a OR b c", .and([.or(.text("a"), .text("b")), .text("c")])),
        ("-a", .not(.text("a"))),
        ("--a", .not(.not(.text("a")))),
        ("-a OR b", .or(.not(.text("a")), .text("b"))),
        ("-\"two words\"", .not(.text("two words"))),
        ("-from:ann", .not(.from("ann"))),
        ("-(a b)", .not(.and([.text("a"), .text("b")]))),
        ("(a)", .text("a")),
        ("( a )", .text("a")),
        ("(a OR b) c", .and([.or(.text("a"), .text("b")), .text("c")])),
        ("(a b) OR c", .or(.and([.text("a"), .text("b")]), .text("c"))),
        ("a OR(b c)", .or(.text("a"), .and([.text("b"), .text("c")]))),
        ("from:ann(a)", .and([.from("ann"), .text("a")])),
        ("x (a (b OR -c))", .and([.text("x"), .and([.text("a"), .or(.text("b"), .not(.text("c")))])])),
        ("((a))", .text("a")),
        (
            "from:ann OR from:bob -is:read since:2024-01-01 subject:\"Q1 report\"",
            .and([.or(.from("ann"), .from("bob")), .not(.seen), .since(date(2024, 1, 1)), .subject("Q1 report")])
        ),
    ] as [(String, SearchKey)])
    func boolean(query: String, expected: SearchKey) throws {
        #expect(try SearchQuery.parse(query) == expected)
    }

    @Test("nesting up to the limit is accepted")
    func deepNesting() throws {
        // The documented limit itself (32) is accepted, with groups and with negations.
        let depth = SearchQuery.maximumDepth
        let query = String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
        #expect(try SearchQuery.parse(query) == .text("x"))
        let negations = String(repeating: "-", count: depth) + "x"
        #expect(throws: Never.self) { try SearchQuery.parse(negations) }
    }
}

@Suite("SearchQuery: errors")
struct SearchQueryErrorTests {
    @Test("syntax errors carry the offending position", arguments: [
        ("(a", 0, "'(' without"),
        ("a (b", 2, "'(' without"),
        ("a)", 1, "')' without"),
        ("(a))", 3, "')' without"),
        (")", 0, "')' without"),
        ("()", 0, "empty group"),
        ("a ( )", 2, "empty group"),
        ("\"abc", 0, "without a closing"),
        ("x \"a\\\"", 2, "without a closing"),
        ("subject:\"abc", 8, "without a closing"),
        ("\"\"", 0, "empty quotes"),
        ("OR", 0, "OR needs"),
        ("OR b", 0, "OR needs"),
        ("a OR", 2, "OR needs"),
        ("a OR OR b", 2, "OR needs"),
        ("(a OR) b", 3, "OR needs"),
        ("-OR b", 1, "OR needs"),
        ("AND b", 0, "AND needs"),
        ("a AND", 2, "AND needs"),
        ("a AND AND b", 2, "AND needs"),
        ("a AND OR b", 2, "AND needs"),
        ("a OR AND b", 2, "OR needs"),
        ("-AND b", 1, "AND needs"),
        ("(AND b)", 1, "AND needs"),
        ("a (b AND)", 5, "AND needs"),
        ("- a", 0, "'-' must be followed"),
        ("a -", 2, "'-' must be followed"),
        ("(a -)", 3, "'-' must be followed"),
        ("foo:bar", 0, "unknown operator 'foo:'"),
        ("x http://example.com", 2, "unknown operator 'http:'"),
        ("from:", 5, "from: needs a value"),
        ("from: ann", 5, "from: needs a value"),
        ("subject:\"\"", 8, "subject: needs a value"),
        ("to:(x)", 3, "to: needs a value"),
        ("is:", 3, "is: needs a value"),
        ("is:foo", 3, "unknown is: value 'foo'"),
        ("is:important", 3, "unknown is: value"),
        ("since:2024-02-30", 6, "not a day in the calendar"),
        ("since:2023-02-29", 6, "not a day in the calendar"),
        ("on:2024-13-01", 3, "not a day in the calendar"),
        ("before:2024-1-31", 7, "not a date"),
        ("since:31-Jan-2024", 6, "not a date"),
        ("since:yesterday", 6, "not a date"),
        ("since:２０２４-01-01", 6, "not a date"),
        ("keyword:\\Seen", 8, "cannot appear in an IMAP keyword"),
        ("keyword:a]b", 9, "cannot appear in an IMAP keyword"),
        ("keyword:a*", 9, "cannot appear in an IMAP keyword"),
        ("keyword:Ärger", 8, "cannot appear in an IMAP keyword"),
        ("keyword:{5}", 8, "cannot appear in an IMAP keyword"),
        ("larger:10X", 7, "not a size"),
        ("larger:K", 7, "not a size"),
        ("larger:-5", 7, "not a size"),
        ("smaller:1.5M", 8, "not a size"),
        ("larger:4G", 7, "larger than IMAP can express"),
        ("larger:4294967296", 7, "larger than IMAP can express"),
        ("header:X-Mailer", 7, "header: needs a field name and a value"),
        ("header::foo", 7, "needs a field name"),
        ("header:Bad Name:x", 7, "header: needs a field name and a value"),
        ("header:Ünï:x", 7, "cannot appear in a header field name"),
        ("uid:0", 4, "not a UID"),
        ("uid:*", 4, "not a UID"),
        ("uid:a", 4, "not a UID"),
        ("uid:1,,3", 6, "not a UID"),
        ("uid:1,3,x:7", 8, "not a UID"),
        ("uid:1:2:3", 4, "not a UID"),
        ("uid:4294967296", 4, "not a UID"),
        ("uid:-5", 4, "not a UID"),
        ("a\u{0}b", 1, "control character"),
        ("\"a\u{1B}b\"", 2, "control character"),
        ("\"* OK injected\r\nA1 LOGOUT\"", 14, "control character"),
        ("Grüße (x", 6, "'(' without"),
        ("🙂🙂 foo:x", 3, "unknown operator"),
        ("gmail:", 6, "gmail: needs a value"),
        ("gmail:\"\"", 6, "gmail: needs a value"),
    ] as [(String, Int, String)])
    func syntaxError(query: String, position: Int, message: String) {
        #expect {
            _ = try SearchQuery.parse(query)
        } throws: { error in
            guard let error = error as? SearchSyntaxError else { return false }
            return error.position == position && error.message.contains(message)
        }
    }

    @Test("errors say what to do, not only that something is wrong")
    func helpfulMessages() throws {
        let unknown = try #require(throws: SearchSyntaxError.self) { try SearchQuery.parse("foo:bar") }
        #expect(unknown.message.contains("double quotes"))
        let flag = try #require(throws: SearchSyntaxError.self) { try SearchQuery.parse("is:starred") }
        #expect(flag.message.contains("unread") && flag.message.contains("flagged"))
        #expect(flag.description == "search syntax error at position 3: \(flag.message)")
    }

    @Test("nesting beyond the limit is an error, not a stack overflow")
    func tooDeep() {
        for opener in ["(", "-"] {
            let query = String(repeating: opener, count: 10_000) + "x"
            #expect(throws: SearchSyntaxError.self) { try SearchQuery.parse(query) }
        }
        let limit = SearchQuery.maximumDepth
        let query = String(repeating: "(", count: limit + 1) + "x" + String(repeating: ")", count: limit + 1)
        #expect(throws: SearchSyntaxError(position: limit, message: "groups and negations are nested more than \(limit) deep")) {
            try SearchQuery.parse(query)
        }
    }

    @Test("overlong queries are refused")
    func tooLong() {
        let query = String(repeating: "a ", count: SearchQuery.maximumLength)
        #expect(throws: SearchSyntaxError.self) { try SearchQuery.parse(query) }
        let fits = String(repeating: "ab ", count: SearchQuery.maximumLength / 3)
        #expect((try? SearchQuery.parse(fits)) != nil)
    }
}
