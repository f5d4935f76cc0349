import Codecs

/// Base64url without padding (RFC 4648 §5): safe in a query string without percent-encoding.
/// Cursors and browser tickets; the coding itself is `Codecs.Base64`.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: Base64.encode(bytes, alphabet: .url, padding: false), as: UTF8.self)
    }

    /// nil for anything but canonical unpadded base64url, so even the unused low bits of the last
    /// character cannot be edited unnoticed.
    static func decode(_ text: String) -> [UInt8]? {
        Base64.decodeCanonical(text.utf8, alphabet: .url)
    }
}
