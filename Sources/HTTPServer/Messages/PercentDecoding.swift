import Codecs

/// Percent-decoding of URL components (RFC 3986 §2.1) to text.
enum PercentDecoding {
    /// Decodes `%XX` escapes, and `+` as space when `plusIsSpace` (form-style query strings).
    /// Returns nil for a malformed escape or bytes that are not UTF-8.
    static func decode(_ raw: Substring, plusIsSpace: Bool) -> String? {
        let utf8 = raw.utf8
        // Fast path: nothing to decode, no copy through a byte array.
        if !utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(raw)
        }
        guard let bytes = PercentEncoding.decodeStrictly(utf8, plusIsSpace: plusIsSpace) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
