import IMAP
import TestRandom
import Testing

/// Damaged input: the parser must neither crash nor hang, and tagged completions must survive.
@Suite struct ParserRobustnessTests {
    /// SplitMix64, so failures reproduce.
    static let corpus: [[UInt8]] = (ParserRFCTests.fixtures + ParserBodyStructureTests.fixtures + ParserQuirksTests.fixtures
                                    + ParserGmailTests.fixtures + ParserExchangeTests.fixtures).map(\.input)

    @Test func mutatedResponsesNeverCrash() {
        var random = SeededRandom(seed: 42)
        let specials = bytes("()[]{}\"\\ \r\n~+-0123456789NIL*")
        for round in 0..<3_000 {
            var input = Self.corpus[random.next(Self.corpus.count)]
            for _ in 0...random.next(4) {
                guard !input.isEmpty else { break }
                let index = random.next(input.count)
                switch random.next(4) {
                case 0: input[index] = specials[random.next(specials.count)]
                case 1: input.remove(at: index)
                case 2: input.insert(specials[random.next(specials.count)], at: index)
                default: input = Array(input[..<index])
                }
            }
            let limits = ParserLimits(maxLiteralSize: 1 << 16, maxNestingDepth: 16, maxLineLength: 1 << 16)
            let result = ParserHarness.parse([input[...]], limits: limits)
            #expect(result.outcomes.count <= input.count, "round \(round)")
        }
    }

    @Test func taggedLinesAlwaysComplete() {
        var random = SeededRandom(seed: 7)
        let noise = bytes("()[]{}\"\\ ~+-09AZaz*%\u{7F}") + [0x00, 0x09, 0xC3, 0xFF]
        for round in 0..<2_000 {
            let text = (0..<random.next(40)).map { _ in noise[random.next(noise.count)] }
            let status = ["OK", "NO", "BAD", "ok"][random.next(4)]
            var line = bytes("T\(round) \(status) ") + text
            // A trailing `{n}` would announce a literal; no server ends a completion with one.
            if line.last == UInt8(ascii: "}") { line.append(UInt8(ascii: ".")) }
            line += bytes("\r\n")
            let outcomes = ParserHarness.parse([line[...]]).outcomes
            guard outcomes.count == 1, case .response(.tagged(let completion)) = outcomes[0] else {
                Issue.record("line \(String(decoding: line, as: UTF8.self).debugDescription) gave \(outcomes)")
                continue
            }
            #expect(completion.tag == "T\(round)")
            #expect(completion.status.rawValue == status.uppercased())
        }
    }
}
