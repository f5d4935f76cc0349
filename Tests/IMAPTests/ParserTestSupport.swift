import IMAP
import Testing

/// What one response of a fixture must parse into. Malformed responses are matched by kind
/// only: their reason text is for people and may be reworded.
enum ParseOutcome: Hashable, Sendable, CustomStringConvertible {
    case response(Response)
    case malformed
    case error(IMAPParseError)

    var description: String {
        switch self {
        case .response(let response): return "\(response)"
        case .malformed: return "malformed"
        case .error(let error): return "error(\(error))"
        }
    }
}

/// Raw server bytes and what they must parse into.
struct ParserFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let expected: [ParseOutcome]
    var limits: ParserLimits = .default

    init(_ name: String, _ input: String, _ expected: ParseOutcome..., limits: ParserLimits = .default) {
        self.init(name, Array(input.utf8), expected, limits: limits)
    }

    init(_ name: String, _ input: String, _ expected: Response...) {
        self.init(name, Array(input.utf8), expected.map(ParseOutcome.response))
    }

    init(_ name: String, _ input: [UInt8], _ expected: [ParseOutcome], limits: ParserLimits = .default) {
        self.name = name; self.input = input; self.expected = expected; self.limits = limits
    }

    var testDescription: String { name }
}

enum ParserHarness {
    /// Feeds `chunks` one after another, collecting every outcome; also reports how many bytes
    /// were left unconsumed at the end.
    static func parse(_ chunks: [ArraySlice<UInt8>], limits: ParserLimits = .default) -> (outcomes: [ParseOutcome], leftover: Int) {
        var parser = ResponseParser(limits: limits)
        var outcomes: [ParseOutcome] = []
        feeding: for chunk in chunks {
            parser.append(chunk)
            while true {
                do {
                    guard let response = try parser.next() else { break }
                    outcomes.append(.response(response))
                } catch {
                    if case .malformed = error {
                        outcomes.append(.malformed)
                    } else {
                        outcomes.append(.error(error))
                        if error.isFatal { break feeding }
                    }
                }
            }
        }
        return (outcomes, parser.bufferedByteCount)
    }

    /// Checks a fixture fed whole, split at every byte position, and one byte at a time.
    static func check(_ fixture: ParserFixture, sourceLocation: SourceLocation = #_sourceLocation) {
        let input = fixture.input
        let whole = parse([input[...]], limits: fixture.limits)
        #expect(whole.outcomes == fixture.expected, "fed whole", sourceLocation: sourceLocation)
        let fatal = fixture.expected.contains { if case .error(let error) = $0 { return error.isFatal } else { return false } }
        if !fatal {
            #expect(whole.leftover == 0, "all input consumed", sourceLocation: sourceLocation)
        }
        guard input.count > 1 else { return }
        for split in 1..<input.count {
            let halves = parse([input[..<split], input[split...]], limits: fixture.limits)
            if halves.outcomes != whole.outcomes {
                Issue.record("split at byte \(split) gives \(halves.outcomes)", sourceLocation: sourceLocation)
                return
            }
        }
        let bytewise = parse(input.indices.map { input[$0...$0] }, limits: fixture.limits)
        #expect(bytewise.outcomes == whole.outcomes, "fed one byte at a time", sourceLocation: sourceLocation)
    }
}

/// Shorthands that keep the fixture tables readable.
func tagged(_ tag: String, _ status: ResponseStatus, _ text: String, code: ResponseCode? = nil) -> Response {
    .tagged(TaggedResponse(tag: tag, status: status, text: ResponseText(code: code, text: text)))
}

func untagged(_ status: ResponseStatus, _ text: String, code: ResponseCode? = nil) -> Response {
    .untagged(.condition(status, ResponseText(code: code, text: text)))
}

func fetch(_ number: UInt32, _ attributes: FetchAttribute...) -> Response {
    .untagged(.fetch(FetchResponse(sequenceNumber: SequenceNumber(number), attributes: attributes)))
}

func flags(_ names: String...) -> [Flag] { names.map(Flag.init) }

func capabilities(_ names: String...) -> [Capability] { names.map(Capability.init) }

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func uids(_ ranges: MessageRange<UID>...) -> UIDSet { UIDSet(ranges: ranges) }

func range(_ lower: UInt32, _ upper: UInt32) -> MessageRange<UID> { MessageRange(UID(lower), UID(upper)) }

func address(_ name: String?, _ adl: String?, _ mailbox: String?, _ host: String?) -> EnvelopeAddress {
    EnvelopeAddress(name: name, adl: adl, mailbox: mailbox, host: host)
}

func parameter(_ name: String, _ value: String) -> BodyParameter { BodyParameter(name: name, value: value) }

/// Joins lines with CRLF and ends with one: `crlf("* 1 FETCH (BODY[] {5}", "hello)")`.
func crlf(_ lines: String...) -> String { lines.map { $0 + "\r\n" }.joined() }

func mailbox(_ wire: String) -> MailboxName { MailboxName(wire: Array(wire.utf8)) }

func list(_ attributes: [String], _ delimiter: Character?, _ name: String, extended: [String: String] = [:]) -> Response {
    list(.list, attributes, delimiter, name, extended: extended)
}

func list(_ kind: ListKind, _ attributes: [String], _ delimiter: Character?, _ name: String,
          extended: [String: String] = [:]) -> Response {
    .untagged(.list(ListResponse(kind: kind, attributes: attributes, delimiter: delimiter, mailbox: mailbox(name), extended: extended)))
}

func text(_ subtype: String, _ parameters: [BodyParameter] = [], encoding: String = "7bit", size: Int, lines: Int?,
          md5: String? = nil, disposition: BodyDisposition? = nil, language: [String] = [], location: String? = nil) -> BodyStructure {
    .single(.init(type: "text", subtype: subtype, parameters: parameters, encoding: encoding, size: size, lines: lines,
                  md5: md5, disposition: disposition, language: language, location: location))
}
