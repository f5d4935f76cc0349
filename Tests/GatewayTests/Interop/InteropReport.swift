import Foundation
import TestSupport

/// What the interop tests observed per server and feature, printed as one line each
/// (`INTEROP-RESULT<TAB>server<TAB>feature<TAB>outcome`) for scripts/interop-table.sh, which
/// turns a test run's output into the README's interop table.
enum InteropReport {
    /// `outcome` is "✓", a status such as "422", or a short note.
    static func record(_ kind: InteropServerKind, _ feature: String, _ outcome: String) {
        let line = "INTEROP-RESULT\t\(kind.rawValue)\t\(feature)\t\(outcome)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// "✓" for the expected success status, else the status that came back.
    static func record(_ kind: InteropServerKind, _ feature: String, status: Int, success: Int) {
        record(kind, feature, status == success ? "✓" : String(status))
    }
}
