import Foundation
@testable import Gateway
import HTTPServer
import IMAP
import Testing

@Suite("Gateway building blocks")
struct UnitTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256(input: String, hex: String) {
        #expect(SHA256Digest(of: Array(input.utf8)).hex == hex)
        #expect(SHA256Digest(hex: hex.uppercased()) == SHA256Digest(of: Array(input.utf8)))
    }

    @Test func sha256OfAMillionAs() {
        #expect(SHA256Digest(of: [UInt8](repeating: 0x61, count: 1_000_000)).hex
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func listenAddresses() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8080") == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(try ListenAddress(parsing: "[::1]:9000") == ListenAddress(host: "::1", port: 9000))
        #expect(try ListenAddress(parsing: "0.0.0.0:0").port == 0)
        for bad in ["8080", "::1:80", "host:", "host:99999", "[::1]", ":80"] {
            #expect(throws: ConfigurationError.self) { try ListenAddress(parsing: bad) }
        }
        #expect(try ListenAddress(parsing: "[::1]:80").isLoopback)
        #expect(try !ListenAddress(parsing: "0.0.0.0:80").isLoopback)
    }

    @Test func passthroughOverPlainHTTPOnANonLoopbackAddressIsRefused() throws {
        var configuration = GatewayConfiguration()
        configuration.listen = ListenAddress(host: "0.0.0.0", port: 8080)
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        configuration.allowInsecurePassthrough = true
        try configuration.validate()
    }

    @Test func folderSegmentsAreEncodedWhole() {
        #expect(Paths.folder("Reports/2024") == "/folders/Reports%2F2024")
        #expect(Paths.folder("Entwürfe") == "/folders/Entw%C3%BCrfe")
        #expect(Paths.folder("100% [x] a&b?#") == "/folders/100%25%20%5Bx%5D%20a%26b%3F%23")
        #expect(Paths.part("INBOX", uid: 7, partId: "1.2") == "/folders/INBOX/messages/7/parts/1.2")
    }

    @Test func internalDatesBecomeUTC() {
        #expect(InternalDate.rfc3339("17-Jul-1996 02:44:25 -0700") == "1996-07-17T09:44:25Z")
        #expect(InternalDate.rfc3339(" 1-Jan-2024 00:30:00 +0100") == "2023-12-31T23:30:00Z")
        #expect(InternalDate.rfc3339("29-Feb-2024 12:00:00 +0000") == "2024-02-29T12:00:00Z")
        #expect(InternalDate.rfc3339("garbage") == nil)
    }

    @Test func durations() throws {
        #expect(try SettingParsers.duration("30", setting: "x") == .seconds(30))
        #expect(try SettingParsers.duration("500ms", setting: "x") == .milliseconds(500))
        #expect(try SettingParsers.duration("5m", setting: "x") == .seconds(300))
        #expect(throws: ConfigurationError.self) { try SettingParsers.duration("soon", setting: "x") }
    }

    @Test func basicCredentialsKeepColonsInThePassword() {
        let header = "Basic " + Data("alice:pa:ss".utf8).base64EncodedString()
        let parsed = Authenticator.basicCredentials(header)
        #expect(parsed?.0 == "alice")
        #expect(parsed?.1 == "pa:ss")
        #expect(Authenticator.basicCredentials("Basic !!!") == nil)
    }

    @Test func partIdsFollowIMAPSectionNumbers() {
        let text = BodyStructure.SinglePart(type: "text", subtype: "plain")
        let pdf = BodyStructure.SinglePart(type: "application", subtype: "pdf",
                                           disposition: BodyDisposition(kind: "attachment", parameters: [BodyParameter(name: "FILENAME", value: "a.pdf")]))
        let inner = BodyStructure.multipart(.init(parts: [.single(text), .single(BodyStructure.SinglePart(type: "text", subtype: "html"))], subtype: "alternative"))
        let attached = BodyStructure.SinglePart(type: "message", subtype: "rfc822",
                                                message: .init(envelope: Envelope(), body: .single(text)))
        let structure = BodyStructure.multipart(.init(parts: [inner, .single(pdf), .single(attached)], subtype: "mixed"))
        #expect(structure.part(withID: "1.1")?.subtype == "plain")
        #expect(structure.part(withID: "1.2")?.subtype == "html")
        #expect(structure.part(withID: "2")?.filename == "a.pdf")
        #expect(structure.part(withID: "3")?.subtype == "rfc822")
        #expect(structure.part(withID: "3.1")?.subtype == "plain")
        #expect(structure.part(withID: "1") == nil)
        #expect(structure.part(withID: "4") == nil)
        #expect(structure.part(withID: "0") == nil)
        #expect(structure.attachmentParts.map(\.partId) == ["2", "3"])
        #expect(BodyStructure.single(text).part(withID: "1")?.subtype == "plain")
    }

    @Test func ifNoneMatch() throws {
        let tag = EntityTag.message(uidValidity: 5, uid: UID(7), variant: "raw")
        let request = try HTTPRequest(method: .get, target: "/", headers: ["If-None-Match": #"W/"x", "5-7-raw""#])
        #expect(tag.matches(ifNoneMatch: request))
        let other = try HTTPRequest(method: .get, target: "/", headers: ["If-None-Match": #""5-7-json""#])
        #expect(!tag.matches(ifNoneMatch: other))
    }
}
