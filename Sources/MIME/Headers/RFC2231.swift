import Codecs

/// RFC 2231 parameter value continuations, charsets and languages:
///
/// ```
/// title*0*=us-ascii'en'This%20is%20even%20more%20
/// title*1*=%2A%2A%2Afun%2A%2A%2A%20
/// title*2="isn't it!"
/// ```
/// becomes `title = "This is even more ***fun*** isn't it!"`. Parameters without `*` are
/// decoded as header text (raw UTF-8, and RFC 2047 words, which Outlook puts in filenames).
public enum RFC2231 {
    /// Joins and decodes raw parameters, e.g. from an IMAP BODYSTRUCTURE parameter list.
    public static func combine(_ parameters: [(name: String, value: String)]) -> (parameters: MIMEParameters, problems: [String]) {
        var problems: [String] = []
        let result = combine(parameters.map { ($0.name.lowercased(), Array($0.value.utf8)) }, problems: &problems)
        return (result, problems)
    }

    private struct Section {
        var number: Int
        var extended: Bool
        var value: [UInt8]
    }

    /// The highest section number believed; larger numbers are junk, not continuations.
    static let maxSection = 10_000

    static func combine(_ raw: [(name: String, value: [UInt8])], problems: inout [String]) -> MIMEParameters {
        var order: [String] = []
        var plain: [String: [UInt8]] = [:]
        var sections: [String: [Section]] = [:]

        for (rawName, value) in raw {
            let name = rawName.lowercased()
            guard let star = name.firstIndex(of: "*") else {
                if plain[name] == nil { plain[name] = value }
                if !order.contains(name) { order.append(name) }
                continue
            }
            let base = String(name[..<star])
            let rest = name[name.index(after: star)...]
            var section = Section(number: 0, extended: false, value: value)
            if rest.isEmpty {
                section.extended = true  // name*=charset'lang'value
            } else {
                let digits = rest.hasSuffix("*") ? rest.dropLast() : rest[...]
                guard let number = Int(digits), number >= 0, number <= maxSection else {
                    if plain[name] == nil { plain[name] = value }
                    if !order.contains(name) { order.append(name) }
                    continue
                }
                section.number = number
                section.extended = rest.hasSuffix("*")
            }
            if !order.contains(base) { order.append(base) }
            sections[base, default: []].append(section)
        }

        var result = MIMEParameters()
        for name in order {
            if let parts = sections[name] {
                result.set(name, joinSections(name: name, parts, problems: &problems))
            } else if let value = plain[name] {
                result.set(name, EncodedWord.decode(utf8: MIMEHeaderDecoder.utf8Bytes(of: value, problems: &problems), problems: &problems))
            }
        }
        return result
    }

    private static func joinSections(name: String, _ unsorted: [Section], problems: inout [String]) -> String {
        // Stable sort keeps the first of duplicated section numbers first.
        let parts = unsorted.enumerated().sorted { ($0.element.number, $0.offset) < ($1.element.number, $1.offset) }.map(\.element)
        var charset: String? = nil
        var bytes: [UInt8] = []
        var expected = 0
        for (position, part) in parts.enumerated() {
            if position > 0, part.number == parts[position - 1].number { continue }  // duplicate
            if part.number != expected {
                problems.append("parameter \"\(name)\": continuation section \(expected) missing")
            }
            expected = part.number + 1
            var value = part.value[...]
            if part.extended && position == 0 {
                // charset'language'value: the charset and language are only in the first section.
                let quotes = value.indices.filter { value[$0] == ASCII.apostrophe }.prefix(2)
                if quotes.count == 2 {
                    let label = String(utf8Bytes: value[value.startIndex..<quotes[0]])
                    charset = label.isEmpty ? nil : label
                    value = value[(quotes[1] + 1)...]
                }
            }
            bytes.append(contentsOf: part.extended ? PercentEncoding.decodeKeepingMalformed(value) : Array(value))
        }
        guard let charset else {
            // No charset: treat like header text (raw UTF-8 is common, RFC 2047 words happen).
            return EncodedWord.decode(utf8: MIMEHeaderDecoder.utf8Bytes(of: bytes, problems: &problems), problems: &problems)
        }
        let decoded = Charset.decode(bytes, charset: charset)
        if let problem = decoded.problem { problems.append("parameter \"\(name)\": \(problem)") }
        return decoded.string
    }
}
