@testable import Gateway
import IMAP
import TestRandom
import Testing

/// The list's cheap `hasAttachment` walk against the rule it shortcuts, on generated trees.
@Suite("hasAttachment shortcut")
struct HasAttachmentTests {
    static func part(_ random: inout SeededRandom) -> BodyStructure.SinglePart {
        let kinds = [("text", "plain"), ("text", "html"), ("text", "calendar"), ("image", "png"), ("application", "pdf")]
        let (type, subtype) = kinds[random.next(kinds.count)]
        let parameterChoices: [[BodyParameter]] = [
            [], [BodyParameter(name: "CHARSET", value: "utf-8")], [BodyParameter(name: "NAME", value: "a.txt")],
            [BodyParameter(name: "name", value: "")], [BodyParameter(name: "Name*0*", value: "utf-8''%41"), BodyParameter(name: "NAME*1", value: "b")],
            [BodyParameter(name: "nameless", value: "x")],
        ]
        let dispositionChoices: [BodyDisposition?] = [
            nil, BodyDisposition(kind: "inline", parameters: []), BodyDisposition(kind: "attachment", parameters: []),
            BodyDisposition(kind: "inline", parameters: [BodyParameter(name: "FILENAME", value: "x.png")]),
            BodyDisposition(kind: "form-data", parameters: [BodyParameter(name: "filename*", value: "utf-8''r%C3%A9")]),
            BodyDisposition(kind: "attachment", parameters: [BodyParameter(name: "FILENAME", value: "=?utf-8?q?x?=")]),
        ]
        return BodyStructure.SinglePart(type: type, subtype: subtype, parameters: parameterChoices[random.next(parameterChoices.count)],
                                        id: random.next(2) == 0 ? nil : "<cid@x>",
                                        disposition: dispositionChoices[random.next(dispositionChoices.count)])
    }

    static func tree(_ random: inout SeededRandom, depth: Int) -> BodyStructure {
        if depth == 0 || random.next(3) == 0 { return .single(part(&random)) }
        let children = (0..<(1 + random.next(3))).map { _ in tree(&random, depth: depth - 1) }
        return .multipart(BodyStructure.Multipart(parts: children, subtype: ["mixed", "alternative", "related"][random.next(3)]))
    }

    @Test func agreesWithTheAttachmentRule() {
        var random = SeededRandom(seed: 1)
        var withAttachment = 0
        for _ in 0..<5_000 {
            let structure = Self.tree(&random, depth: 3)
            let rule = structure.attachmentParts.contains { $0.part.disposition?.kind != "inline" || $0.part.id == nil }
            #expect(structure.hasAttachment == rule, "\(structure)")
            if rule { withAttachment += 1 }
        }
        // Both answers occur often, so agreement means something.
        #expect(withAttachment > 500 && withAttachment < 4_500)
    }
}
