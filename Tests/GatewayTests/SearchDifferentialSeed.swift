import Foundation
import TestSupport

/// The 30 messages the differential search test searches, UIDs 1...30 in this order.
///
/// Chosen so each query has a small, known answer: RFC 2047 subjects and names (UTF-8 Q and B,
/// ISO-8859-1), raw UTF-8 bodies, quotes, backslashes, INTERNALDATEs spread over 2023-2024,
/// three sizes, every system flag, and keywords (set by STORE after delivery).
enum SearchSeed {
    struct Message {
        var headers: [(String, String)]
        var body: String
        /// INTERNALDATE, at noon UTC so no time zone moves it to another day.
        var received: (year: Int, month: Int, day: Int)
        var flags: MessageFlags = []
        var keywords: [String] = []
        /// Filler lines appended to the body to reach a size class.
        var paddingKiB = 0

        var bytes: [UInt8] {
            var text = ""
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            if !headers.contains(where: { $0.0 == "Content-Type" }) {
                text += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
            }
            text += "\r\n" + body + "\r\n"
            let line = String(repeating: "padding ", count: 127) + "\r\n"  // 1024 bytes
            text += String(repeating: line, count: paddingKiB)
            return Array(text.utf8)
        }

        var internalDate: Date {
            var components = DateComponents()
            components.year = received.year; components.month = received.month; components.day = received.day
            components.hour = 12
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar.date(from: components)!
        }
    }

    static let ann = "Ann Example <ann@example.com>"
    static let bob = "Bob Builder <bob@example.org>"
    static let dave = "Dave <dave@example.com>"
    static let shop = "Shop <newsletter@shop.example>"

    static func message(
        from: String, to: String = ann, subject: String, body: String, _ year: Int, _ month: Int, _ day: Int,
        flags: MessageFlags = [], keywords: [String] = [], extra: [(String, String)] = [], paddingKiB: Int = 0
    ) -> Message {
        var headers = [("From", from), ("To", to)] + extra
        headers += [("Subject", subject), ("Date", "Mon, 1 Jan 2024 12:00:00 +0000")]
        return Message(headers: headers, body: body, received: (year, month, day), flags: flags, keywords: keywords, paddingKiB: paddingKiB)
    }

    static let messages: [Message] = [
        /* 1 */ message(from: ann, to: bob, subject: "Quarterly report", body: "Numbers for Q1 are in.", 2024, 1, 10, flags: [.seen]),
        /* 2 */ message(from: ann, to: "carol@example.net", subject: "Lunch?", body: "Pizza at noon?", 2024, 1, 15),
        /* 3 */ message(from: bob, subject: "Re: Quarterly report", body: "Looks good to me.", 2024, 1, 31,
                        flags: [.seen, .answered], extra: [("Cc", "carol@example.net")]),
        /* 4 */ message(from: "=?UTF-8?Q?Zo=C3=AB_=C3=85ngstr=C3=B6m?= <zoe@example.de>",
                        subject: "=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=", body: "Viele Grüße aus dem Rheinland.", 2024, 2, 1, flags: [.flagged]),
        /* 5 */ message(from: "carol@example.net", subject: "=?ISO-8859-1?Q?Caf=E9_meeting?=", body: "See you at the café.", 2024, 2, 10, flags: [.seen]),
        /* 6 */ message(from: dave, subject: #"He said "hello""#, body: #"He really said "hello" twice."#, 2024, 2, 29,
                        flags: [.seen, .flagged], extra: [("Bcc", "eve@example.com")]),
        /* 7 */ message(from: dave, subject: #"Path C:\temp\new"#, body: #"Look in C:\temp\new for the file."#, 2024, 3, 1, flags: [.draft]),
        /* 8 */ message(from: ann, to: bob, subject: "=?UTF-8?B?5p2x5Lqs?= trip", body: "Tokyo 東京 itinerary", 2024, 3, 5),
        /* 9 */ message(from: shop, subject: "Big sale", body: "Everything must go.", 2024, 3, 10, flags: [.seen], keywords: ["$Label1"],
                        extra: [("X-Mailer", "MassMailer 2.0")], paddingKiB: 20),
        /* 10 */ message(from: shop, subject: "Bigger sale", body: "Even more must go.", 2024, 3, 11, keywords: ["$Label1"],
                         extra: [("X-Mailer", "MassMailer 2.0")], paddingKiB: 150),
        /* 11 */ message(from: bob, subject: "Invoice 1001", body: "Total: 100 EUR", 2024, 4, 1, flags: [.seen], keywords: ["$Invoice"],
                         extra: [("X-Priority", "1")]),
        /* 12 */ message(from: bob, subject: "Invoice 1002", body: "Total: 200 EUR", 2024, 4, 2, flags: [.seen, .deleted],
                         keywords: ["$Invoice", "$Paid"]),
        /* 13 */ message(from: #""O'Brien, Pat" <pat@example.ie>"#, subject: "Irish weather", body: "Rain again.", 2024, 4, 15,
                         flags: [.answered], extra: [("Cc", "zoe@example.de")]),
        /* 14 */ message(from: ann, to: "=?UTF-8?Q?M=C3=BCller?= <mueller@example.de>", subject: "Vertrag",
                         body: "Anbei der Vertrag für Herrn Müller.", 2024, 5, 1, flags: [.seen]),
    ] + (1...16).map { n in
        /* 15...30 */ message(from: "Filler <filler@example.com>", subject: "Status update \(n)", body: "Nothing to report.",
                              2023, 6, n, flags: n.isMultiple(of: 2) ? [.seen] : [])
    }

    /// Delivers every message into `user`'s INBOX, one call each (flags and dates differ).
    static func deliver(into dovecot: Dovecot, user: DovecotUser) throws {
        for message in messages {
            try dovecot.deliver(user: user.name, messages: [message.bytes], flags: message.flags, internalDate: message.internalDate)
        }
    }

    /// `UID STORE` commands that add the keywords (maildir delivery cannot set them).
    static var keywordStores: [String] {
        messages.enumerated().compactMap { index, message in
            message.keywords.isEmpty ? nil : "UID STORE \(index + 1) +FLAGS.SILENT (\(message.keywords.joined(separator: " ")))"
        }
    }
}
