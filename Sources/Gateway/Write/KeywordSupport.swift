import IMAP
import IMAPClient

/// Whether the selected folder keeps the keywords a flag change adds (RFC 3501 §7.1, PERMANENTFLAGS).
///
/// A server that lists PERMANENTFLAGS without `\*` keeps only the keywords listed there; it
/// may still answer OK to a STORE of another keyword and drop it (pymap does), so the gateway
/// refuses such a change before sending it rather than report a success that did not happen.
enum KeywordSupport {
    /// Throws 422 `keyword-not-kept` naming the keywords the folder cannot keep.
    static func check(_ changes: [StoreOperation], in state: SelectedMailbox) throws {
        // No PERMANENTFLAGS at all: RFC 3501 says every flag may be changed permanently.
        let permanent = state.permanentFlags
        guard !permanent.isEmpty, !permanent.contains(.wildcard) else { return }
        let allowed = Set(permanent.map { $0.rawValue.lowercased() })
        var refused: [Flag] = []
        for change in changes {
            switch change {
            case .add(let flags), .replace(let flags):
                refused += flags.filter { !$0.isSystemFlag && !allowed.contains($0.rawValue.lowercased()) }
            case .remove:
                continue
            }
        }
        guard !refused.isEmpty else { return }
        throw Problem.make(422, "keyword-not-kept", title: "Keyword not kept",
                           detail: "This folder keeps no keywords but those in its PERMANENTFLAGS; the IMAP server would drop: "
                               + refused.map(\.rawValue).joined(separator: ", ") + ".",
                           extensions: ["flags": .array(refused.map { .string($0.rawValue) })])
    }
}
