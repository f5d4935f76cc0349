import Codecs
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
        PercentEncoding.encode(text.utf8, keeping: PercentEncoding.isUnreserved)
    }
}
