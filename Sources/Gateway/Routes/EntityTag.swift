import Foundation
import HTTPServer
import IMAP

/// Strong entity tags and `If-None-Match` (RFC 9110 §8.8.3, §13.1.2).
struct EntityTag: Hashable, Sendable {
    /// Without the quotes.
    let opaque: String

    /// `"<uidValidity>-<uid>-<variant>"`: a message's content never changes for a UIDVALIDITY and UID.
    static func message(uidValidity: UInt32, uid: UID, variant: String) -> EntityTag {
        EntityTag(opaque: "\(uidValidity)-\(uid.rawValue)-\(variant)")
    }

    /// A hash of a representation's bytes (listings).
    static func digest(of bytes: [UInt8]) -> EntityTag {
        EntityTag(opaque: String(SHA256Digest(of: bytes).hex.prefix(32)))
    }

    var headerValue: String { "\"\(opaque)\"" }

    /// Whether `If-None-Match` names this tag (weak comparison, as the RFC asks for this header), or is `*`.
    func matches(ifNoneMatch request: HTTPRequest) -> Bool {
        for header in request.headers.values(for: "If-None-Match") {
            for candidate in header.split(separator: ",") {
                var tag = candidate.trimmingCharacters(in: .whitespaces)
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag.removeFirst(2) }
                if tag == headerValue { return true }
            }
        }
        return false
    }

    /// 304 with the tag when the client has it, else nil.
    func notModified(_ request: HTTPRequest) -> HTTPResponse? {
        guard matches(ifNoneMatch: request) else { return nil }
        return HTTPResponse(status: 304, headers: ["ETag": headerValue])
    }
}
