import HTTPServer
import IMAP

/// Reading and checking the path and query parameters the routes share.
extension HTTPRequest {
    /// The `{folder}` segment as a mailbox name (already percent-decoded by the router).
    func folderParameter() throws(HTTPError) -> (name: String, mailbox: MailboxName) {
        guard let name = pathParameters["folder"], !name.isEmpty else {
            throw Problem.badParameter("folder", "The folder name is empty.")
        }
        try FolderNameRules.requirePossible(name)
        return (name, MailboxName(name))
    }

    /// The `{uid}` segment: a positive 32-bit number, else 400.
    func uidParameter() throws(HTTPError) -> UID {
        let text = pathParameters["uid"] ?? ""
        guard !text.isEmpty, text.utf8.count <= 10, text.utf8.allSatisfy({ (48...57).contains($0) }),
              let value = UInt32(text), value > 0 else {
            throw Problem.badParameter("uid", "A UID is a whole number from 1 to 4294967295, not '\(text)'.")
        }
        return UID(value)
    }

    /// A boolean query flag: absent, `false` or `0` is false; `true`, `1` or empty (`?status`) is true.
    func booleanQuery(_ name: String) throws(HTTPError) -> Bool {
        guard let value = query[name] else { return false }
        // Exactly openapi.yaml's `type: boolean`: an empty `?status=` or a `yes` is refused, not guessed.
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw Problem.badParameter(name, "\(name) must be true or false, not '\(value)'.")
        }
    }
}
