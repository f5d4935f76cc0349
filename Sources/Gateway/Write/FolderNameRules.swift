import HTTPServer

/// Checks a new folder name before CREATE or RENAME, so misuse is a clear 400 instead of a
/// server-specific NO. Every name still goes to IMAP quoted or as a literal.
enum FolderNameRules {
    /// 400 for an empty name, control characters, or the delimiter at either end or twice in a row.
    static func check(_ name: String, delimiter: Character?, parameter: String = "name") throws(HTTPError) {
        guard !name.isEmpty else { throw Problem.badParameter(parameter, "The folder name is empty.") }
        guard name.utf8.count <= 1000 else { throw Problem.badParameter(parameter, "The folder name is longer than 1000 bytes.") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw Problem.badParameter(parameter, "Folder names cannot contain control characters (NUL, CR, LF, TAB, ...).")
        }
        guard let delimiter else { return }
        let separator = String(delimiter)
        if name.hasPrefix(separator) || name.hasSuffix(separator) || name.contains(separator + separator) {
            throw Problem.badParameter(parameter,
                "'\(name)' misuses the hierarchy delimiter '\(separator)': no empty level, and none at the start or end.")
        }
    }

    /// 404 for a name no folder can have (control characters, which CREATE refuses above and
    /// servers refuse in any command): the answer is the same as for any folder that does not
    /// exist, instead of the 502 a server's NO to COPY or APPEND of such a name would give.
    static func requirePossible(_ name: String) throws(HTTPError) {
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw Problem.notFound("There is no folder '\(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined())'.")
        }
    }
}
