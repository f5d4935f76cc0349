import Testing
@testable import Gateway

@Suite("trimmingASCIISpaces trims ASCII whitespace only")
struct ASCIIWhitespaceTests {
    @Test("ASCII whitespace goes, other Unicode spaces stay", arguments: [
        (" \t<a@b>\r\n", "<a@b>"),
        ("30s", "30s"),
        ("\u{0C} x y \u{0C}", "x y"),
        (" \t\r\n", ""),
        ("", ""),
        ("\u{A0}30s\u{A0}", "\u{A0}30s\u{A0}"),  // NBSP is content: a setting with it is reported
        ("\u{3000}検索 ", "\u{3000}検索"),
        (" \u{301}é", "\u{301}é"),  // a combining mark after a space is kept whole
    ])
    func trims(input: String, expected: String) {
        #expect(input.trimmingASCIISpaces.unicodeScalars.elementsEqual(expected.unicodeScalars))
    }

    @Test("a setting with a non-ASCII space is an error naming the value, not silently trimmed")
    func settingsRefuseNBSP() throws {
        #expect(throws: ConfigurationError.self) { try SettingParsers.duration("30s\u{A0}", setting: "idle-timeout") }
        #expect(try SettingParsers.duration(" 30s ", setting: "idle-timeout") == .seconds(30))
    }
}
