/// Generates a realistic, deterministic `* n FETCH (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE
/// BODYSTRUCTURE)` stream: multipart/mixed holding multipart/alternative (text + HTML) and an
/// attachment, names and subjects of varying length, some quoting and some NILs.
struct FetchResponseGenerator {
    /// SplitMix64: tiny, fast, and identical everywhere.
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func nextRandom() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func pick<T>(_ values: [T]) -> T { values[Int(nextRandom() % UInt64(values.count))] }
    private mutating func number(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(nextRandom() % UInt64(range.count))
    }

    private static let firstNames = ["Anna", "Bernd", "Chloé", "David", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Katarzyna", "Luis"]
    private static let lastNames = ["Schmidt", "Miller", "Dubois", "Nakamura", "Kowalska", "García", "O'Brien", "Rossi", "Svensson"]
    private static let domains = ["example.com", "mail.example.org", "corp.example.net", "gmail.com", "university.example.edu"]
    private static let words = ["quarterly", "report", "meeting", "notes", "invoice", "project", "update", "review", "draft",
                                "budget", "travel", "plan", "team", "lunch", "release", "schedule", "contract", "feedback"]
    private static let flagSets = [#"\Seen"#, #"\Seen \Answered"#, "", #"\Seen \Flagged $Label1"#, #"\Seen $Forwarded"#, #"\Draft"#]

    private mutating func address() -> String {
        let first = pick(Self.firstNames), last = pick(Self.lastNames)
        let mailbox = "\(first.lowercased()).\(last.lowercased())".replacingOccurrences(of: "'", with: "")
        let name = "\(first) \(last)".replacingOccurrences(of: "\"", with: "\\\"")
        return #"("\#(name)" NIL "\#(mailbox)" "\#(pick(Self.domains))")"#
    }

    private mutating func addressList(max: Int) -> String {
        let count = number(0...max)
        guard count > 0 else { return "NIL" }
        return "(" + (0..<count).map { _ in address() }.joined() + ")"
    }

    private mutating func subject() -> String {
        (0..<number(2...9)).map { _ in pick(Self.words) }.joined(separator: " ").capitalized
    }

    private mutating func message(sequence: Int) -> String {
        let uid = 100_000 + sequence * 3
        let day = number(1...28), hour = number(0...23), minute = number(0...59)
        let date = "\(day)-Mar-2024 \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute):00 +0100"
        let from = address()
        let envelope = #"("Mon, \#(day) Mar 2024 \#(hour):\#(minute):00 +0100" "\#(subject())" (\#(from)) (\#(from)) (\#(from)) \#(addressList(max: 3)) \#(addressList(max: 2)) NIL \#(number(0...3) == 0 ? "\"<prev\(uid)@example.com>\"" : "NIL") "<msg\#(uid).\#(number(1000...9999))@example.com>")"#
        let textSize = number(200...20_000), htmlSize = textSize * 3 + number(0...999), attachment = number(10_000...2_000_000)
        let boundary = "----=_Part_\(number(100_000...999_999))_\(number(100...999)).\(uid)"
        let file = "\(pick(Self.words))-\(number(1...99)).pdf"
        let body = #"((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" \#(textSize) \#(textSize / 60) NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" \#(htmlSize) \#(htmlSize / 70) NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "alt-\#(boundary)") NIL NIL NIL)("APPLICATION" "PDF" ("NAME" "\#(file)") NIL NIL "BASE64" \#(attachment) NIL ("ATTACHMENT" ("FILENAME" "\#(file)" "SIZE" "\#(attachment * 3 / 4)")) NIL NIL) "MIXED" ("BOUNDARY" "\#(boundary)") NIL NIL NIL)"#
        return "* \(sequence) FETCH (UID \(uid) FLAGS (\(pick(Self.flagSets))) RFC822.SIZE \(attachment + htmlSize + textSize + 2000) INTERNALDATE \"\(date)\" ENVELOPE \(envelope) BODYSTRUCTURE \(body))\r\n"
    }

    /// The whole stream: `messages` FETCH responses and the tagged completion.
    mutating func response(messages: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(messages * 1500)
        for sequence in 1...messages { out.append(contentsOf: message(sequence: sequence).utf8) }
        out.append(contentsOf: "A7 OK Fetch completed (0.512 + 0.000 + 0.511 secs).\r\n".utf8)
        return out
    }
}
