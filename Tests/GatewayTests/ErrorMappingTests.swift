import HTTPServer
import IMAP
import IMAPClient
import Testing
@testable import Gateway

/// Server refusals that are the server's limits or the client's doing are 4xx, never 502.
@Suite("Error mapping of server refusals")
struct ErrorMappingTests {
    @Test("NO [BADCHARSET] to a search is 422 unsupported-charset with the server's text")
    func badCharset() {
        let text = ResponseText(code: .badCharset(["US-ASCII"]), text: "Unsupported charset")
        let answer = ErrorMapping.problem(for: IMAPError.no(command: "UID SEARCH", text), scheme: .basic)
        #expect(answer.status == 422)
        #expect(answer.type.hasSuffix("/unsupported-charset"))
        #expect(answer.detail?.contains("Unsupported charset") == true, "\(answer)")
    }
}
