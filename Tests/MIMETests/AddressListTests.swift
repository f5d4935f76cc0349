import Testing
@testable import MIME

@Suite("Address lists (RFC 5322 §3.4)")
struct AddressListTests {
    private static func a(_ name: String?, _ email: String) -> MailAddress { MailAddress(name: name, email: email) }

    @Test("parses", arguments: [
        ("john@example.com", [a(nil, "john@example.com")]),
        ("<john@example.com>", [a(nil, "john@example.com")]),
        ("John Doe <john@example.com>", [a("John Doe", "john@example.com")]),
        ("\"Doe, John\" <john.doe@example.com>", [a("Doe, John", "john.doe@example.com")]),
        ("\"Joe \\\"Q\\\" Public\" <joe@example.com>, ann@example.com", [a("Joe \"Q\" Public", "joe@example.com"), a(nil, "ann@example.com")]),
        ("john@example.com (John Doe)", [a("John Doe", "john@example.com")]),
        ("=?utf-8?Q?J=C3=B6rg?= <joerg@example.com>", [a("Jörg", "joerg@example.com")]),
        ("=?utf-8?Q?Doe,_John?= <jd@example.com>", [a("Doe, John", "jd@example.com")]),  // comma inside a word
        ("=?ISO-8859-1?Q?\"G=FCnter__Hammerl\"?= <g@example.com>", [a("Günter  Hammerl", "g@example.com")]),
        ("\"=?utf-8?B?R3LDvMOfZQ==?=\" <g@example.com>", [a("Grüße", "g@example.com")]),
        ("Jörg Müller <jm@example.com>", [a("Jörg Müller", "jm@example.com")]),  // raw UTF-8
        ("A Group: ann@example.com, Bob <bob@example.com>; carl@example.com",
         [a(nil, "ann@example.com"), a("Bob", "bob@example.com"), a(nil, "carl@example.com")]),
        ("undisclosed-recipients:;", []),
        ("Empty:;, x@example.com", [a(nil, "x@example.com")]),
        ("a@example.com,,b@example.com,", [a(nil, "a@example.com"), a(nil, "b@example.com")]),
        ("<@relay.example:user@example.com>", [a(nil, "user@example.com")]),  // obsolete route
        ("\"john doe\"@example.com", [a(nil, "\"john doe\"@example.com")]),
        ("John <john@example.com", [a("John", "john@example.com")]),  // missing ">"
        ("  ", []),
        ("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
         [a("Mary Smith", "mary@x.test"), a(nil, "jdoe@example.org"), a("Who?", "one@y.test")]),
        ("\"\" <empty@example.com>", [a(nil, "empty@example.com")]),
        ("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", [a("Pete", "pete@silly.test")]),
        ("user@[192.168.0.1]", [a(nil, "user@[192.168.0.1]")]),
        ("John Q. Public <jqp@example.com>", [a("John Q. Public", "jqp@example.com")]),
        ("John Doe john@example.com", [a("John Doe", "john@example.com")]),  // forgotten angle brackets
        ("john . doe @ example . com", [a(nil, "john.doe@example.com")]),  // obsolete spacing
        ("MAILER-DAEMON", [a(nil, "MAILER-DAEMON")]),
        ("Undisclosed recipients", [a(nil, "Undisclosed recipients")]),
    ])
    func parses(raw: String, expected: [MailAddress]) {
        #expect(AddressList.parse(raw) == expected)
    }

    @Test("latin-1 bytes in a display name are read as windows-1252")
    func latin1() {
        #expect(AddressList.parse(concat(bytes("J"), [0xF6], bytes("rg <j@example.com>"))) == [MailAddress(name: "Jörg", email: "j@example.com")])
    }

    @Test("a huge list parses in linear time")
    func huge() {
        let raw = (0..<20_000).map { "\"User, \($0)\" <user\($0)@example.com>" }.joined(separator: ", ")
        let list = AddressList.parse(raw)
        #expect(list.count == 20_000)
        #expect(list.last == MailAddress(name: "User, 19999", email: "user19999@example.com"))
    }
}
