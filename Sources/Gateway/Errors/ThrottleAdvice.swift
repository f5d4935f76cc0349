import IMAP
import IMAPClient

/// Throttling answers of the big providers, which the client should retry later rather than
/// read as a failure (503 with `Retry-After`, never 502):
///
/// - Gmail: `NO [THROTTLED] ...` (also after the text, `... (Success) [THROTTLED]`), and
///   "Too many simultaneous connections" when an account holds more than 15 connections.
/// - Office 365 / Exchange Online: `BAD Request is throttled. Suggested Backoff Time: 92415
///   milliseconds`, and `NO User is authenticated but not connected.` after a LOGIN that the
///   backend could not yet serve (it goes away on a new connection a little later).
/// - Any server: `[UNAVAILABLE]` (RFC 5530) is mapped elsewhere with a fixed wait.
enum ThrottleAdvice {
    /// How long to wait, when `failure` carries a throttling answer; nil otherwise.
    static func retryAfter(_ failure: IMAPError) -> Duration? {
        switch failure {
        case .no(_, let text), .bad(_, let text), .bye(let text), .authenticationFailed(let text): retryAfter(text)
        default: nil
        }
    }

    /// How long to wait, when `text` is a throttling answer; nil otherwise.
    static func retryAfter(_ text: ResponseText) -> Duration? {
        if case .other(let name, _)? = text.code, name.uppercased() == "THROTTLED" {
            return backoff(in: text.text) ?? .seconds(30)
        }
        if let suggested = backoff(in: text.text) { return suggested }
        let lowered = text.text.lowercased()
        if lowered.contains("[throttled]") || lowered.contains("too many simultaneous connections") {
            return .seconds(30)
        }
        if lowered.contains("user is authenticated but not connected") { return .seconds(10) }
        return nil
    }

    /// "Suggested Backoff Time: 92415 milliseconds" (Office 365), rounded up to whole seconds.
    private static func backoff(in text: String) -> Duration? {
        let marker = "suggested backoff time:"
        guard let range = text.lowercased().range(of: marker) else { return nil }
        let rest = text.lowercased()[range.upperBound...].drop { $0 == " " }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let value = Int(digits.prefix(12)) else { return nil }
        let unit = rest.dropFirst(digits.count).drop { $0 == " " }
        let milliseconds = unit.hasPrefix("sec") || unit.hasPrefix("s ") || unit == "s" ? value * 1000 : value
        // Seconds for the Retry-After header; at least one, at most an hour (a bad number must
        // not park clients for days).
        let seconds = min(3600, max(1, (milliseconds + 999) / 1000))
        return .seconds(seconds)
    }
}
