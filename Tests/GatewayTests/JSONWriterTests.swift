import Foundation
@testable import Gateway
import Testing

/// The hand-written message list must be indistinguishable from `JSONEncoder`'s: same bytes.
@Suite("JSONWriter against JSONEncoder")
struct JSONWriterTests {
    /// Strings that need every kind of escape, and some that must pass through untouched.
    static let awkward: [String] = [
        "", "plain", "quote \" and backslash \\", "slash / stays", "tab\tnewline\ncr\rformfeed\u{0C}backspace\u{08}",
        "nul \u{0} unit separator \u{1F} del \u{7F}", "Grüße, 日本語, emoji 👩‍👩‍👧", "line sep \u{2028} para sep \u{2029}",
        "<script>&amp;</script>", "\u{FEFF}bom", "trailing backslash \\",
    ]

    static func encoderBytes(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return Array(try encoder.encode(value))
    }

    static func summary(_ index: Int, fields: Set<SummaryField>) -> MessageSummaryJSON {
        let text = awkward[index % awkward.count]
        var summary = MessageSummaryJSON(uid: UInt32(index + 1))
        summary.messageId = index % 3 == 0 ? nil : "<\(index)@example.org>"
        summary.subject = index % 4 == 0 ? nil : text
        summary.from = [AddressJSON(name: index % 2 == 0 ? nil : text, email: "a\(index)@example.org")]
        summary.to = index % 5 == 0 ? [] : [AddressJSON(name: "To", email: "t@example.org"), AddressJSON(name: nil, email: "u@x")]
        summary.cc = []
        summary.replyTo = [AddressJSON(name: text, email: text)]
        summary.inReplyTo = index % 2 == 0 ? text : nil
        summary.sentAt = index % 3 == 1 ? nil : "2024-03-0\(index % 9 + 1)T10:00:00+01:00"
        summary.receivedAt = "2024-03-01T09:00:00Z"
        summary.flags = index % 2 == 0 ? ["\\Seen", "$Label \"x\""] : []
        summary.size = index % 7 == 0 ? nil : index * 1_234_567
        summary.hasAttachment = index % 2 == 1
        summary.preview = fields.contains(.preview) ? text : nil
        summary.decodingProblems = index % 3 == 2 ? ["charset x-unknown: decoded as Latin-1", text] : []
        summary.fields = fields
        return summary
    }

    @Test(arguments: [
        SummaryField.defaults,
        Set(SummaryField.allCases),
        [SummaryField.uid],
        [.uid, .subject, .preview],
        [.uid, .flags, .size, .sentAt],
    ])
    func listPageMatchesEncoder(fields: Set<SummaryField>) throws {
        let messages = (0..<40).map { Self.summary($0, fields: fields) }
        for cursor in [nil, "AQDeadBeef_-"] as [String?] {
            let list = MessageListJSON(folder: "Ordner/Grüße \"&\"", uidValidity: 4_000_000_000, total: 123_456,
                                       messages: messages, nextCursor: cursor)
            let written = list.jsonBytes
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: try Self.encoderBytes(list), as: UTF8.self))
            // And it is JSON a parser accepts, with the awkward strings intact.
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(written)) as? [String: Any])
            #expect((parsed["messages"] as? [Any])?.count == 40)
        }
    }

    @Test func emptyPage() throws {
        let list = MessageListJSON(folder: "", uidValidity: 1, total: 0, messages: [], nextCursor: nil)
        #expect(list.jsonBytes == (try Self.encoderBytes(list)))
        #expect(String(decoding: list.jsonBytes, as: UTF8.self) == #"{"folder":"","messages":[],"nextCursor":null,"total":0,"uidValidity":1}"#)
    }

    @Test func integersMatchTheEncoder() throws {
        let values: [Int] = [0, 7, 9, 10, 99, 100, 12_345, -1, -10, Int(UInt32.max), Int.max, Int.min]
        var writer = JSONWriter()
        writer.beginArray()
        for value in values { writer.integer(value) }
        writer.integer(UInt32.max)
        writer.integer(UInt64.max)
        writer.endArray()
        struct Numbers: Encodable { let values: [Int]; let u32: UInt32; let u64: UInt64
            func encode(to encoder: any Encoder) throws {
                var container = encoder.unkeyedContainer()
                for value in values { try container.encode(value) }
                try container.encode(u32)
                try container.encode(u64)
            }
        }
        #expect(writer.bytes == (try Self.encoderBytes(Numbers(values: values, u32: .max, u64: .max))))
    }

    @Test(arguments: awkward)
    func eachAwkwardStringAlone(text: String) throws {
        var writer = JSONWriter()
        writer.string(text)
        #expect(writer.bytes == (try Self.encoderBytes(text)))
    }
}
