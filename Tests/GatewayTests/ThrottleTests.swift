import HTTPServer
import IMAP
import IMAPClient
import Testing
@testable import Gateway

/// Provider throttling becomes 503 with the server's wait in `Retry-After` (issue 14); the
/// texts are those of Tests/IMAPTests/Fixtures/gmail/throttled.imap and office365/throttled.imap.
@Suite("Throttling answers of Gmail and Office 365")
struct ThrottleTests {
    private func problem(_ error: IMAPError) -> HTTPError { ErrorMapping.problem(for: error, scheme: .basic) }

    @Test("Throttled answers are 503 with Retry-After", arguments: [
        (IMAPError.no(command: "SELECT", ResponseText(code: .other(name: "THROTTLED", arguments: nil),
                                                      text: "Too many simultaneous connections. (Failure)")), 30),
        (IMAPError.bad(command: "UID FETCH", ResponseText(text: "Request is throttled. Suggested Backoff Time: 8500 milliseconds")), 9),
        (IMAPError.bad(command: "LIST", ResponseText(text: "Request is throttled. Suggested Backoff Time: 92415 milliseconds")), 93),
        (IMAPError.no(command: "SELECT", ResponseText(text: "User is authenticated but not connected.")), 10),
        (IMAPError.bye(ResponseText(text: "Too many simultaneous connections. (Failure)")), 30),
        (IMAPError.authenticationFailed(ResponseText(code: .other(name: "THROTTLED", arguments: nil), text: "Login throttled")), 30),
        (IMAPError.no(command: "FETCH", ResponseText(text: "Suggested Backoff Time: 99999999999 milliseconds")), 3600),
    ])
    func throttled(error: IMAPError, seconds: Int) {
        let answer = problem(error)
        #expect(answer.status == 503, "\(answer)")
        #expect(answer.type.hasSuffix("/imap-throttled"))
        #expect(answer.headers["Retry-After"] == String(seconds))
    }

    @Test("Other refusals keep their mapping: ALERT is not throttling, wrong passwords stay 401")
    func notThrottled() {
        #expect(problem(.authenticationFailed(ResponseText(code: .alert, text: "Application-specific password required (Failure)"))).status == 401)
        #expect(problem(.authenticationFailed(ResponseText(code: .authenticationFailed, text: "Invalid credentials (Failure)"))).status == 401)
        #expect(problem(.no(command: "SELECT", ResponseText(code: .nonExistent, text: "Unknown Mailbox"))).status == 404)
        #expect(ThrottleAdvice.retryAfter(ResponseText(text: "Backoff: soon")) == nil)
    }
}
