import IMAP

/// Building the `href`s the API hands out; each folder name is ONE percent-encoded segment.
public enum Paths {
    /// `/folders/Reports%2F2024`
    public static func folder(_ name: String) -> String { "/folders/" + encodeSegment(name) }

    /// `/folders/INBOX/messages`
    public static func messages(_ name: String) -> String { folder(name) + "/messages" }

    /// `/folders/INBOX/messages/7`
    public static func message(_ name: String, uid: UInt32) -> String { messages(name) + "/\(uid)" }

    /// `/folders/INBOX/messages/7/parts/2`
    public static func part(_ name: String, uid: UInt32, partId: String) -> String {
        message(name, uid: uid) + "/parts/" + encodeSegment(partId)
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters, so `/`, `%`, `?`, `#`,
    /// spaces, brackets and non-ASCII bytes (as UTF-8) all stay inside the segment.
    public static func encodeSegment(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
