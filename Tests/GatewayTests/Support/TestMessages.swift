import Foundation

/// RFC 5322 messages for tests, with CRLF line ends (as IMAP serves them), so that
/// downloaded bytes can be compared with what was delivered.
enum TestMessages {
    static func crlf(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    static func simple(subject: String, from: String = "Ann <ann@example.com>", body: String = "Hello there.",
                       date: String = "Wed, 14 Jan 2015 21:10:00 +0100", messageID: String? = nil) -> [UInt8] {
        crlf("""
        From: \(from)
        To: Bob <bob@example.com>
        Subject: \(subject)
        Date: \(date)
        Message-ID: \(messageID ?? "<\(UUID().uuidString)@example.com>")
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        \(body)
        """)
    }

    /// text/plain + an attachment carrying `attachment` base64-encoded, named `filename`.
    static func withAttachment(_ attachment: [UInt8], filename: String, text: String = "See the attachment.") -> [UInt8] {
        let encoded = Data(attachment).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return crlf("""
        From: Ann <ann@example.com>
        To: Bob <bob@example.com>
        Subject: With attachment
        Date: Wed, 14 Jan 2015 21:10:00 +0000
        Message-ID: <\(UUID().uuidString)@example.com>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="XYZ"

        --XYZ
        Content-Type: text/plain; charset=utf-8

        \(text)
        --XYZ
        Content-Type: application/octet-stream; name="\(filename)"
        Content-Disposition: attachment; filename*=UTF-8''\(filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? filename)
        Content-Transfer-Encoding: base64

        \(encoded)
        --XYZ--
        """)
    }
}
