import IMAP

// Values with their own grammar: dates, sizes, UID sets, keywords.
extension SearchParser {
    // date = 4DIGIT "-" 2DIGIT "-" 2DIGIT, and it must exist in the calendar.
    func date(_ text: String, _ op: SearchOperator, at start: Int) throws(SearchSyntaxError) -> SearchDate {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Self.decimal(parts[0]), let month = Self.decimal(parts[1]), let day = Self.decimal(parts[2])
        else {
            throw error("'\(text)' is not a date; \(op.rawValue): wants YYYY-MM-DD, as in \(op.example)", at: start)
        }
        guard let date = SearchDate(year: Int(year), month: Int(month), day: Int(day)) else {
            throw error("\(text) is not a day in the calendar", at: start)
        }
        return date
    }

    // size = 1*DIGIT ["K" / "M" / "G"]   ; 1024-based, at most 2^32-1 (an IMAP number)
    func size(_ text: String, _ op: SearchOperator, at start: Int) throws(SearchSyntaxError) -> Int {
        var digits = Substring(text)
        var multiplier: UInt64 = 1
        switch text.last?.uppercased() {
        case "K": multiplier = 1 << 10
        case "M": multiplier = 1 << 20
        case "G": multiplier = 1 << 30
        default: break
        }
        if multiplier > 1 { digits = digits.dropLast() }
        guard let number = Self.decimal(digits) else {
            throw error("'\(text)' is not a size; use bytes or a number with K, M or G, as in \(op.example)", at: start)
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow, bytes <= UInt64(UInt32.max) else {
            throw error("\(text) is larger than IMAP can express (4G - 1 bytes)", at: start)
        }
        return Int(bytes)
    }

    // uid-set = range *("," range); range = uid / uid ":" (uid / "*"); uid = 1..2^32-1
    // Read by IMAP's sequence-set reader; a lone `*` is refused (it would mean "the newest message",
    // which `uid:n:*` says plainly).
    func uidSet(_ text: String, at start: Int) throws(SearchSyntaxError) -> UIDSet {
        do throws(MessageSetParseError) {
            return try UIDSet(parsing: text, allowsLoneStar: false)
        } catch {
            // The reader names a byte offset; the message quotes the whole comma-separated element
            // holding it and points at that element's first character.
            var element = Substring(text)
            var position = start
            var byteStart = 0
            for candidate in text.split(separator: ",", omittingEmptySubsequences: false) {
                element = candidate
                if error.offset <= byteStart + candidate.utf8.count { break }
                byteStart += candidate.utf8.count + 1
                position += candidate.count + 1
            }
            throw self.error("'\(element)' is not a UID or UID range; use uid:5, uid:100:200, uid:100:* or uid:1,3,5:7", at: position)
        }
    }

    // flag-keyword = atom: ASCII printable except atom-specials ( ) { SP % * " \ ]
    func keyword(_ text: String, at start: Int) throws(SearchSyntaxError) -> Flag {
        for (offset, c) in text.enumerated() {
            guard let ascii = c.asciiValue, (0x21...0x7E).contains(ascii), !"(){%*\"\\]".contains(c) else {
                throw error("'\(c)' cannot appear in an IMAP keyword", at: start + offset)
            }
        }
        return Flag(text)
    }

    /// ASCII digits only (`Int("+5")` and `Int("٣")` would accept more), at most 12 of them.
    static func decimal(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.count <= 12 else { return nil }
        var value: UInt64 = 0
        for c in text {
            guard let ascii = c.asciiValue, (48...57).contains(ascii) else { return nil }
            value = value * 10 + UInt64(ascii - 48)
        }
        return value
    }
}
