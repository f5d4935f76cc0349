import Codecs
import Foundation

/// Builds `Content-Disposition` values for HTTP responses (RFC 6266 with RFC 8187 `filename*`).
/// (An HTTP header, so it lives here rather than in MIME, whose own `ContentDisposition` reads mail.)
public enum HTTPContentDisposition {
    /// `attachment; filename="ascii-fallback"; filename*=UTF-8''percent-encoded`.
    ///
    /// The quoted fallback replaces non-ASCII characters, quotes, backslashes, path separators
    /// and control characters with `_`, so it is safe for every client; `filename*` carries the
    /// exact name. Without a usable filename the value is just the disposition type.
    public static func value(disposition: String = "attachment", filename: String?) -> String {
        let type = disposition.lowercased() == "inline" ? "inline" : "attachment"
        guard let filename else { return type }
        // Control characters (CR/LF above all) must never reach a response header.
        let cleaned = String(String.UnicodeScalarView(filename.unicodeScalars.filter { !$0.properties.generalCategory.isControl }))
            .replacingPathSeparators()
        guard !cleaned.isEmpty else { return type }
        let fallback = asciiFallback(cleaned)
        let encoded = PercentEncoding.encode(cleaned.utf8, keeping: PercentEncoding.isAttrChar)
        return "\(type); filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }

    static func asciiFallback(_ filename: String) -> String {
        var output = ""
        // Decomposing first turns "ü" into "u" + a combining mark, which is then dropped.
        for scalar in filename.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F, scalar != "\"", scalar != "\\" {
                output.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue  // combining accents of decomposed letters: "e\u{301}" → "e"
            } else {
                output.append("_")
            }
        }
        return output
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControl: Bool { self == .control || self == .lineSeparator || self == .paragraphSeparator }
}

extension String {
    /// A filename is a name, not a path: `../../etc/passwd` becomes `.._.._etc_passwd`.
    fileprivate func replacingPathSeparators() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "/" || $0 == "\\" ? "_" : $0 }))
    }
}
