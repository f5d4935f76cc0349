import Codecs

/// The value of a `Content-Transfer-Encoding` header (RFC 2045 §6).
public enum ContentTransferEncoding: Sendable, Hashable {
    case sevenBit
    case eightBit
    case binary
    case base64
    case quotedPrintable
    /// A token this module does not decode (`x-uuencode`, garbage); the bytes pass through unchanged.
    case other(String)

    /// Parses a header value (or an IMAP BODYSTRUCTURE encoding field); nil or empty means 7bit.
    public init(headerValue: String?) {
        // Only the first token counts: some mailers append parameters or comments.
        let bytes = Array((headerValue ?? "").utf8)
        let end = bytes.firstIndex { $0 == ASCII.semicolon || $0 == ASCII.openParen } ?? bytes.endIndex
        let token = String(utf8Bytes: Array(bytes[..<end]).trimmingWhitespace().asciiLowercased())
        switch token {
        case "", "7bit", "7-bit", "nil": self = .sevenBit
        case "8bit", "8-bit": self = .eightBit
        case "binary": self = .binary
        case "base64", "base-64": self = .base64
        case "quoted-printable", "quotedprintable", "qp": self = .quotedPrintable
        default: self = .other(token)
        }
    }

    /// The canonical header spelling.
    public var name: String {
        switch self {
        case .sevenBit: return "7bit"
        case .eightBit: return "8bit"
        case .binary: return "binary"
        case .base64: return "base64"
        case .quotedPrintable: return "quoted-printable"
        case .other(let token): return token
        }
    }

    /// Decodes a whole body in one go.
    public func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        switch self {
        case .base64: return Base64.decode(bytes)
        case .quotedPrintable: return QuotedPrintable.decode(bytes)
        case .sevenBit, .eightBit, .binary, .other: return Array(bytes)
        }
    }
}
