/// One FETCH data item (RFC 3501 §7.4.2).
public enum FetchAttribute: Hashable, Sendable {
    case uid(UID)
    case flags([Flag])
    case envelope(Envelope)
    case bodyStructure(BodyStructure)
    /// The server's BODYSTRUCTURE could not be parsed; the rest of the response is kept.
    case bodyStructureUnknown
    case rfc822Size(Int)
    /// INTERNALDATE as sent (`"17-Jul-1996 02:44:25 -0700"`).
    case internalDate(String)
    case modSeq(ModSequence)
    /// `BODY[section]<origin> data`; `section` is the text between the brackets (`""`, `"2"`, `"1.MIME"`,
    /// `"HEADER.FIELDS (DATE)"`), `data` nil when the server sent NIL.
    case body(section: String, origin: Int?, data: [UInt8]?)
    /// `BINARY[section]` (RFC 3516), already transfer-decoded by the server.
    case binary(section: String, data: [UInt8]?)
    /// `BINARY.SIZE[section]`
    case binarySize(section: String, size: Int)
    /// `PREVIEW` (RFC 8970) text.
    case preview(String?)
    /// Gmail's `X-GM-LABELS` (X-GM-EXT-1): the labels as sent, unescaped but not decoded
    /// (`\\Inbox`, `Receipts`, `R&AOk-sum&AOk-`); `GmailLabel.displayName` decodes one.
    case gmailLabels([String])
    /// Gmail's `X-GM-THRID`: the 64-bit thread id.
    case gmailThreadID(UInt64)
    /// Gmail's `X-GM-MSGID`: the 64-bit message id, the same in every folder.
    case gmailMessageID(UInt64)
    /// Items we do not model (`EMAILID`, an unreadable `X-GM-LABELS`): the name and the raw value bytes.
    case other(name: String, raw: [UInt8])
}

/// `* n FETCH (...)`: the message's sequence number and its data items in the order sent.
public struct FetchResponse: Hashable, Sendable {
    public var sequenceNumber: SequenceNumber
    public var attributes: [FetchAttribute]

    public init(sequenceNumber: SequenceNumber, attributes: [FetchAttribute]) {
        self.sequenceNumber = sequenceNumber; self.attributes = attributes
    }

    public var uid: UID? {
        for case .uid(let uid) in attributes { return uid }
        return nil
    }
    public var flags: [Flag]? {
        for case .flags(let flags) in attributes { return flags }
        return nil
    }
    public var envelope: Envelope? {
        for case .envelope(let envelope) in attributes { return envelope }
        return nil
    }
    public var bodyStructure: BodyStructure? {
        for case .bodyStructure(let structure) in attributes { return structure }
        return nil
    }
    public var size: Int? {
        for case .rfc822Size(let size) in attributes { return size }
        return nil
    }
    public var internalDate: String? {
        for case .internalDate(let date) in attributes { return date }
        return nil
    }
    public var modSeq: ModSequence? {
        for case .modSeq(let value) in attributes { return value }
        return nil
    }
    /// The data of `BODY[section]` (any origin), when present.
    public func body(section: String) -> [UInt8]? {
        for case .body(let name, _, let data) in attributes where name.uppercased() == section.uppercased() {
            return data
        }
        return nil
    }
}
