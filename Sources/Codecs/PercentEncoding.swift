/// `%XX` escapes (RFC 3986 §2.1), the one implementation in the project: URL path segments and
/// query strings (HTTPServer), folder `href`s and `filename*` (Gateway), RFC 2231 parameter
/// values (MIME).
public enum PercentEncoding {
    /// Writes each byte for which `keep` is false as `%XX` with uppercase hex. Inlinable, like the
    /// decoders: the HTTP server and the gateway call them per request, with their own collections.
    @inlinable
    public static func encode(_ bytes: some Sequence<UInt8>, keeping keep: (UInt8) -> Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            if keep(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(HexDigit.uppercase[Int(byte >> 4)])
                output.append(HexDigit.uppercase[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// RFC 3986 `unreserved`: `A-Z a-z 0-9 - . _ ~`.
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// RFC 8187 `attr-char`: bytes that may appear unescaped in an extended parameter value.
    public static func isAttrChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
             UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Replaces each `%XX` (hex in either case) by its byte; a `%` without two hex digits after
    /// it stays literal text. For mail (RFC 2231 values), where careless software writes a bare `%`.
    @inlinable
    public static func decodeKeepingMalformed(_ bytes: some Collection<UInt8>) -> [UInt8] {
        // Cannot be nil: nil only comes from a malformed escape, which is kept here.
        decode(bytes, plusIsSpace: false, keepMalformed: true) ?? []
    }

    /// Replaces each `%XX` (hex in either case) by its byte, and `+` by a space when
    /// `plusIsSpace` (form-style query strings); nil when a `%` lacks two hex digits. For URLs,
    /// where a client must not get a guess.
    @inlinable
    public static func decodeStrictly(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) -> [UInt8]? {
        decode(bytes, plusIsSpace: plusIsSpace, keepMalformed: false)
    }

    @usableFromInline
    static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool, keepMalformed: Bool) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            bytes.formIndex(after: &index)
            if byte == UInt8(ascii: "%") {
                var low = index
                if index != bytes.endIndex, let high = HexDigit.value(bytes[index]) {
                    bytes.formIndex(after: &low)
                    if low != bytes.endIndex, let lowValue = HexDigit.value(bytes[low]) {
                        output.append(high << 4 | lowValue)
                        index = bytes.index(after: low)
                        continue
                    }
                }
                guard keepMalformed else { return nil }
                output.append(byte)
            } else {
                output.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return output
    }
}
