import Foundation
@testable import Gateway
import IMAP
import Testing

@Suite("GET /capabilities answer")
struct CapabilitiesJSONTests {
    private let announced: [Capability] = [.init("IMAP4rev1"), .idle, .move, .uidPlus, .utf8Accept, .init("AUTH=PLAIN"), .esearch]

    @Test("capabilities sorted by name whatever order they come in, so every process answers alike")
    func stableOrder() throws {
        let expected = ["AUTH=PLAIN", "ESEARCH", "IDLE", "IMAP4REV1", "MOVE", "UIDPLUS", "UTF8=ACCEPT"]
        #expect(CapabilitiesJSON(capabilities: announced).capabilities == expected)
        #expect(CapabilitiesJSON(capabilities: announced.reversed()).capabilities == expected)
        #expect(CapabilitiesJSON(capabilities: announced + announced).capabilities == expected)
    }

    @Test("features name only what the gateway uses: no utf8 (never ENABLEd), no permanentDelete (that is uidplus)")
    func featuresAreTrue() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(CapabilitiesJSON(capabilities: announced))) as? [String: Any]
        let features = json?["features"] as? [String: Bool] ?? [:]
        #expect(features == ["move": true, "uidplus": true, "condstore": false, "specialUse": false, "esearch": true, "idle": true])
        let bare = CapabilitiesJSON(capabilities: [.init("IMAP4REV1")]).features
        #expect(!bare.move && !bare.uidplus && !bare.idle)
    }
}
