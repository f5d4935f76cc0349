/// The 64 letters of one base64 variant (RFC 4648) and the reverse table for decoding.
public struct Base64Alphabet: Sendable {
    /// The letters in value order.
    public let letters: [UInt8]
    /// Value of each byte; 0xFF for bytes that are not letters.
    @usableFromInline let values: [UInt8]

    /// `letters` must hold 64 distinct ASCII bytes.
    public init(_ letters: StaticString) {
        let bytes = letters.withUTF8Buffer { Array($0) }
        precondition(bytes.count == 64, "a base64 alphabet has 64 letters")
        self.letters = bytes
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in bytes.enumerated() { values[Int(byte)] = UInt8(value) }
        self.values = values
    }

    /// RFC 4648 §4: MIME bodies and encoded words (RFC 2045), SASL (RFC 4422).
    public static let standard = Base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    /// RFC 4648 §5: safe in URLs and query strings without percent-encoding (cursors, tickets).
    public static let url = Base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    /// RFC 3501 §5.1.3 modified base64 of mailbox names: `,` instead of `/`.
    public static let imapMailbox = Base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,")
}
