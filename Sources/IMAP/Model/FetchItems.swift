/// The first item of each kind in a FETCH response, found in one pass.
///
/// Each `FetchResponse` accessor walks the items on its own, copying every item it passes;
/// code that reads several kinds (a message summary reads six) takes this view instead.
public struct FetchItems: Sendable {
    public var uid: UID?
    public var flags: [Flag]?
    public var envelope: Envelope?
    public var bodyStructure: BodyStructure?
    /// The server sent a BODYSTRUCTURE that could not be parsed.
    public var hasUnparseableBodyStructure = false
    public var size: Int?
    public var internalDate: String?
    public var modSeq: ModSequence?
    /// Gmail's X-GM-LABELS, X-GM-THRID and X-GM-MSGID, when the server sent them.
    public var gmailLabels: [String]?
    public var gmailThreadID: UInt64?
    public var gmailMessageID: UInt64?

    public init(_ attributes: [FetchAttribute]) {
        // By index: a `for attribute in attributes` loop copies every item out first, an
        // envelope with all its strings included, whether it is kept or not.
        for index in attributes.indices {
            switch attributes[index] {
            case .uid(let value): if uid == nil { uid = value }
            case .flags(let value): if flags == nil { flags = value }
            case .envelope(let value): if envelope == nil { envelope = value }
            case .bodyStructure(let value): if bodyStructure == nil { bodyStructure = value }
            case .bodyStructureUnknown: hasUnparseableBodyStructure = true
            case .rfc822Size(let value): if size == nil { size = value }
            case .internalDate(let value): if internalDate == nil { internalDate = value }
            case .modSeq(let value): if modSeq == nil { modSeq = value }
            case .gmailLabels(let value): if gmailLabels == nil { gmailLabels = value }
            case .gmailThreadID(let value): if gmailThreadID == nil { gmailThreadID = value }
            case .gmailMessageID(let value): if gmailMessageID == nil { gmailMessageID = value }
            case .body, .binary, .binarySize, .preview, .other: break
            }
        }
    }
}

extension FetchResponse {
    /// The first item of each kind, in one pass over the items.
    public var items: FetchItems { FetchItems(attributes) }
}
