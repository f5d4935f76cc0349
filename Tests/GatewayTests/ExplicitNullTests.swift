import Foundation
@testable import Gateway
import Testing

/// api.md shows absent values as `null`; optional keys that are documented as optional stay out.
@Suite struct ExplicitNullTests {
    private func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any])
    }

    @Test func absentValuesAreNullNotMissing() throws {
        let counts = try json(FolderCountsJSON(messages: nil, unseen: 2, uidNext: nil, uidValidity: 7))
        #expect(counts["messages"] is NSNull)
        #expect(counts["uidNext"] is NSNull)
        #expect(counts["unseen"] as? Int == 2)
        #expect(counts.count == 4)

        let address = try json(AddressJSON(name: nil, email: "a@example.org"))
        #expect(address["name"] is NSNull)
        #expect(address["email"] as? String == "a@example.org")

        let named = try json(AddressJSON(name: "Ann", email: "a@example.org"))
        #expect(named["name"] as? String == "Ann")
    }

    @Test func documentedOptionalKeysStayOut() throws {
        let upload = try json(UploadResultJSON(uid: nil, folder: "INBOX", uidValidity: nil, href: nil))
        #expect(upload["uid"] is NSNull)
        #expect(upload["uidValidity"] == nil && upload["href"] == nil)
        #expect(Set(upload.keys) == ["uid", "folder"])
    }
}
