import Foundation
import Gateway
import IMAPClient
import Logging
import TestSupport
import Testing

/// One query of the differential test: the search language, the IMAP a person would write for
/// it (`«text»` goes out as a literal), and how many of the seed messages match.
private struct DifferentialCase: CustomStringConvertible {
    var query: String
    var imap: String
    var expected: Int
    var description: String { "\(query) ≙ \(imap)" }

    init(_ query: String, _ imap: String, _ expected: Int) {
        self.query = query
        self.imap = imap
        self.expected = expected
    }

    /// `FROM «Zoë»` → [.text("FROM "), .literal("Zoë")]
    var rawParts: [RawIMAPSession.Part] {
        var parts: [RawIMAPSession.Part] = []
        var rest = Substring(imap)
        while let open = rest.firstIndex(of: "«"), let close = rest[open...].firstIndex(of: "»") {
            if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
            parts.append(.literal(String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return parts
    }
}

/// Counts follow from `SearchSeed.messages`; the comment says which UIDs.
private let cases: [DifferentialCase] = [
    .init("", "ALL", 30),
    .init("from:ann", #"FROM "ann""#, 4),                                   // 1 2 8 14
    .init("to:bob@example.org", #"TO "bob@example.org""#, 2),               // 1 8
    .init("cc:carol", #"CC "carol""#, 1),                                   // 3
    .init("bcc:eve", #"BCC "eve""#, 1),                                     // 6
    .init(#"subject:"quarterly report""#, #"SUBJECT "quarterly report""#, 2),  // 1 3
    .init("subject:Grüße", "SUBJECT «Grüße»", 1),                           // 4 (RFC 2047 UTF-8 Q)
    .init("subject:café", "SUBJECT «café»", 1),                             // 5 (RFC 2047 ISO-8859-1)
    .init("subject:東京", "SUBJECT «東京»", 1),                              // 8 (RFC 2047 UTF-8 B)
    .init("東京", "TEXT «東京»", 1),                                         // 8
    .init("café", "TEXT «café»", 1),                                        // 5
    .init("from:Zoë", "FROM «Zoë»", 1),                                     // 4
    .init("to:Müller", "TO «Müller»", 1),                                   // 14
    .init("body:Müller", "BODY «Müller»", 1),                               // 14
    .init("zoe", #"TEXT "zoe""#, 2),                                        // 4 13
    .init(#"subject:"He said \"hello\"""#, #"SUBJECT "He said \"hello\"""#, 1),  // 6
    .init(#""\"hello\"""#, #"TEXT "\"hello\"""#, 1),                        // 6
    .init(#"subject:"C:\\temp\\new""#, #"SUBJECT "C:\\temp\\new""#, 1),     // 7
    .init(#"subject:C:\temp"#, #"SUBJECT "C:\\temp""#, 1),                  // 7
    // Dovecot matches FROM against a normalised address, where `O'Brien` does not survive
    // (FROM "O'Brien" finds nothing, FROM "Brien" does); HEADER matches the raw field.
    .init("from:Brien", #"FROM "Brien""#, 1),                               // 13
    .init(#"header:From:"O'Brien, Pat""#, #"HEADER From "O'Brien, Pat""#, 1),  // 13
    .init("from:pat@example.ie", #"FROM "pat@example.ie""#, 1),             // 13
    .init("since:2024-03-01", "SINCE 1-Mar-2024", 8),                       // 7...14
    .init("before:2024-01-31", "BEFORE 31-Jan-2024", 18),                   // 1 2 15...30
    .init("on:2024-02-29", "ON 29-Feb-2024", 1),                            // 6
    .init("since:2024-02-01 before:2024-03-01", "SINCE 1-Feb-2024 BEFORE 1-Mar-2024", 3),  // 4 5 6
    .init("is:unread", "UNSEEN", 14),
    .init("is:read", "SEEN", 16),
    .init("is:flagged", "FLAGGED", 2),                                      // 4 6
    .init("is:answered", "ANSWERED", 2),                                    // 3 13
    .init("is:unanswered", "UNANSWERED", 28),
    .init("is:draft", "DRAFT", 1),                                          // 7
    .init("is:deleted", "DELETED", 1),                                      // 12
    .init("is:undeleted", "UNDELETED", 29),
    .init("keyword:$Label1", "KEYWORD $Label1", 2),                         // 9 10
    .init("-keyword:$Label1", "NOT KEYWORD $Label1", 28),
    .init("keyword:$Invoice -keyword:$Paid", "KEYWORD $Invoice NOT KEYWORD $Paid", 1),  // 11
    .init("larger:10K", "LARGER 10240", 2),                                 // 9 10
    .init("larger:100K", "LARGER 102400", 1),                               // 10
    .init("smaller:1K", "SMALLER 1024", 28),
    .init("header:X-Mailer:MassMailer", #"HEADER X-Mailer "MassMailer""#, 2),  // 9 10
    .init("header:X-Priority:1", #"HEADER X-Priority "1""#, 1),             // 11
    .init("header:X-Priority:", #"HEADER X-Priority """#, 1),               // 11: has the field
    .init("uid:1:5", "UID 1:5", 5),
    .init("uid:1,3,5:7", "UID 1,3,5:7", 5),
    .init("uid:28:*", "UID 28:*", 3),
    .init("uid:1:10 -uid:3:5", "UID 1:10 NOT UID 3:5", 7),
    .init("from:ann OR from:bob", #"OR FROM "ann" FROM "bob""#, 7),          // 1 2 8 14 + 3 11 12
    .init("from:ann is:unread", #"FROM "ann" UNSEEN"#, 2),                  // 2 8
    .init("from:ann AND is:unread", #"FROM "ann" UNSEEN"#, 2),              // 2 8
    .init("subject:grüße", "SUBJECT «grüße»", 1),                           // 4: case-insensitive beyond ASCII
    .init("-is:read from:filler", #"NOT SEEN FROM "filler""#, 8),           // odd fillers
    .init("invoice -is:deleted", #"TEXT "invoice" NOT DELETED"#, 1),        // 11
    .init("(from:ann OR from:dave) -is:seen", #"OR FROM "ann" FROM "dave" NOT SEEN"#, 3),  // 2 7 8
    .init("from:dave OR from:carol is:flagged", #"OR FROM "dave" FROM "carol" FLAGGED"#, 1),  // 6
    .init("-(from:filler OR from:ann)", #"NOT (OR FROM "filler" FROM "ann")"#, 10),
    .init(#""status update" since:2023-06-10 before:2023-06-13"#, #"TEXT "status update" SINCE 10-Jun-2023 BEFORE 13-Jun-2023"#, 3),
    .init("(subject:sale (is:seen OR keyword:$Label1)) -larger:100K", #"SUBJECT "sale" (OR SEEN KEYWORD $Label1) NOT LARGER 102400"#, 1),  // 9
]

@Suite("Search: compiled queries agree with hand-written IMAP on a real Dovecot")
struct SearchDifferentialTests {
    @Test("UIDs from SearchQuery through IMAPClient equal UIDs from raw UID SEARCH, with the expected counts")
    func differential() async throws {
        #expect(cases.count >= 25)
        try await withDovecot(users: [.alice], tls: false) { dovecot in
            try SearchSeed.deliver(into: dovecot, user: .alice)

            let raw = try await RawIMAPSession.connect(port: dovecot.port)
            try await raw.login(user: DovecotUser.alice.name, password: DovecotUser.alice.password)
            try await raw.command([.text("SELECT INBOX")])
            for store in SearchSeed.keywordStores { try await raw.command([.text(store)]) }
            let all = try await raw.uidSearch([.text("ALL")])
            try #require(all == Array(1...UInt32(SearchSeed.messages.count)), "seeded UIDs: \(all)")

            var logger = Logger(label: "search-differential")
            logger.logLevel = .critical
            let client = try await IMAPConnection.connect(
                IMAPServerConfiguration(host: dovecot.host, port: dovecot.port, tlsMode: .none), logger: logger)
            try await client.authenticate(.password(user: DovecotUser.alice.name, password: DovecotUser.alice.password))
            _ = try await client.select(MailboxName("INBOX"), readOnly: true)

            for testCase in cases {
                let key = try SearchQuery.parse(testCase.query)
                let compiled = try await client.uidSearch(key).map(\.rawValue)
                let handWritten = try await raw.uidSearch(testCase.rawParts)
                #expect(compiled == handWritten, "\(testCase): compiled \(compiled), hand-written \(handWritten)")
                #expect(handWritten.count == testCase.expected, "\(testCase): expected \(testCase.expected) messages, got \(handWritten)")
            }

            await client.logout()
            await raw.logout()
        }
    }
}
