import HTTPServer
import IMAP

/// Checks flag names from a request before they reach IMAP, so a bad name is a clear 400
/// rather than a BAD from the server.
enum FlagNames {
    /// System flags a client may set (`\Recent` is the server's alone).
    private static let settable: Set<String> = ["\\seen", "\\answered", "\\flagged", "\\deleted", "\\draft"]

    /// `names` as flags; 400 naming the first one that is neither a settable system flag nor a
    /// keyword made of IMAP atom characters.
    static func parse(_ names: [String], parameter: String = "flags") throws(HTTPError) -> [Flag] {
        var flags: [Flag] = []
        for name in names {
            if name.hasPrefix("\\") {
                guard settable.contains(name.lowercased()) else {
                    throw Problem.badParameter(parameter, "'\(name)' is not a system flag a client can set (\\Seen, \\Answered, \\Flagged, \\Deleted, \\Draft).")
                }
            } else {
                guard isKeyword(name) else {
                    throw Problem.badParameter(parameter, "'\(name)' is not a valid IMAP keyword (atom characters only, at most 200).")
                }
            }
            let flag = Flag(name)
            if !flags.contains(flag) { flags.append(flag) }
        }
        return flags
    }

    /// RFC 3501 `atom`: no specials, controls, spaces or 8-bit bytes.
    private static func isKeyword(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 200 else { return false }
        return bytes.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && !"(){%*\"\\]".utf8.contains(byte)
        }
    }
}
