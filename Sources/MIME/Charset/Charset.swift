/// Decoding text in any charset a mail might declare into a Swift `String`.
///
/// Labels are read through the WHATWG Encoding Standard's table and a table of labels mail
/// software writes (see `CharsetReader`), then decoded by iconv. Never fails: a charset nobody
/// knows, or bytes that are not what their label says, fall back to UTF-8 when the bytes are
/// valid UTF-8 and to windows-1252 otherwise, and the returned
/// `problem` says what happened so the caller can report it (`decodingProblems`).
public enum Charset {
    /// The result of decoding: the text, plus a human-readable note when decoding was not clean.
    public typealias Decoded = (string: String, problem: String?)

    /// Decodes `bytes` declared as `charset` (nil or empty: no declaration, read as us-ascii).
    public static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> Decoded {
        let label = charset.map(CharsetReader.clean) ?? ""
        let reader = label.isEmpty ? CharsetReader.ascii : CharsetReader(label: label)
        let shownLabel = label.isEmpty ? "us-ascii (none declared)" : label
        switch reader {
        case .utf8:
            return decodeUTF8(bytes, label: shownLabel)
        case .ascii:
            let scan = UTF8Scan(bytes)
            if !scan.hasNonASCII { return (String(utf8Bytes: bytes), nil) }
            if scan.isValid {
                // 8-bit UTF-8 without a declaration is ubiquitous (and legal in headers per RFC 6532).
                let problem = label.isEmpty ? nil : "text labeled \"\(label)\" contains 8-bit bytes; decoded as UTF-8"
                return (String(utf8Bytes: bytes), problem)
            }
            return (Windows1252.decode(bytes), "text labeled \(shownLabel) contains 8-bit bytes that are not UTF-8; decoded as windows-1252")
        case .windows1252:
            return (Windows1252.decode(bytes), nil)
        case .iconv(let declared):
            var array = Array(bytes)
            let name = declared == "UTF-16" ? UTF16ByteOrder.resolve(&array) : declared
            guard let result = Iconv.convertToUTF8(array, from: name) else {
                return fallback(array, reason: "unknown charset \"\(label)\"")
            }
            if result.invalidSequences == 0 && !result.truncated {
                return (String(utf8Bytes: result.utf8), nil)
            }
            if UTF8Scan(array).isValid {
                return (String(utf8Bytes: array), "text labeled \"\(label)\" is not valid \(label) but valid UTF-8; decoded as UTF-8")
            }
            let count = result.invalidSequences + (result.truncated ? 1 : 0)
            return (String(utf8Bytes: result.utf8), "\(count) invalid byte sequence(s) for charset \"\(label)\" replaced with U+FFFD")
        case .hz:
            let result = HZ.decode(Array(bytes))
            let problem = result.invalidSequences == 0 ? nil : "\(result.invalidSequences) invalid byte sequence(s) for charset \"\(label)\" replaced with U+FFFD"
            return (result.string, problem)
        case .userDefined:
            return (UserDefinedCharset.decode(bytes), nil)
        case .invalid:
            return fallback(Array(bytes), reason: "unusable charset label \"\(label)\"")
        }
    }

    /// Whether iconv (or this module itself) can decode the charset.
    public static func isSupported(_ charset: String) -> Bool {
        switch CharsetReader(label: charset) {
        case .utf8, .ascii, .windows1252, .hz, .userDefined: return true
        case .invalid: return false
        case .iconv(let name): return Iconv.convertToUTF8([], from: name) != nil
        }
    }

    /// Text that claims UTF-8 but is not: a few stray bytes in otherwise good UTF-8 become
    /// U+FFFD; text with no valid multi-byte sequences at all was really a legacy 8-bit charset.
    private static func decodeUTF8(_ bytes: some Collection<UInt8>, label: String) -> Decoded {
        let scan = UTF8Scan(bytes)
        if scan.isValid { return (String(utf8Bytes: bytes), nil) }
        if scan.invalidBytes == 0 {
            return (String(decoding: bytes, as: UTF8.self), "text ends inside a UTF-8 character (truncated?); replaced with U+FFFD")
        }
        if scan.validMultiByteSequences > scan.invalidBytes {
            return (String(decoding: bytes, as: UTF8.self), "\(scan.invalidBytes) invalid UTF-8 byte sequence(s) replaced with U+FFFD")
        }
        return (Windows1252.decode(bytes), "text labeled \"\(label)\" is not valid UTF-8; decoded as windows-1252")
    }

    private static func fallback(_ bytes: [UInt8], reason: String) -> Decoded {
        if UTF8Scan(bytes).isValid {
            return (String(utf8Bytes: bytes), "\(reason); decoded as UTF-8")
        }
        return (Windows1252.decode(bytes), "\(reason); decoded as windows-1252")
    }
}
