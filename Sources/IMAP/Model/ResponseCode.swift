/// A response code in brackets at the start of a status response's text (RFC 3501 §7.1, RFC 5530, ...).
public enum ResponseCode: Hashable, Sendable {
    case alert
    case badCharset([String])
    case capability([Capability])
    case parse
    case permanentFlags([Flag])
    case readOnly
    case readWrite
    case tryCreate
    case uidNext(UID)
    case uidValidity(UIDValidity)
    case unseen(SequenceNumber)
    /// RFC 4315: `APPENDUID uidvalidity uid-set`.
    case appendUID(uidValidity: UIDValidity, uids: UIDSet)
    /// RFC 4315: `COPYUID uidvalidity source-set destination-set`.
    case copyUID(uidValidity: UIDValidity, source: UIDSet, destination: UIDSet)
    case uidNotSticky
    case highestModSeq(ModSequence)
    case noModSeq
    case modified(SequenceNumberSet)
    case closed
    // RFC 5530
    case alreadyExists
    case nonExistent
    case authenticationFailed
    case authorizationFailed
    case unavailable
    case expired
    case privacyRequired
    case contactAdmin
    case noPerm
    case inUse
    case expungeIssued
    case corruption
    case serverBug
    case clientBug
    case cannot
    case limit
    case overQuota
    /// Any code we do not model, kept as the server wrote it (`THROTTLED`, `REFERRAL imap://...`).
    case other(name: String, arguments: String?)
}

/// The human-readable part of a status response and its optional code.
public struct ResponseText: Hashable, Sendable {
    public var code: ResponseCode?
    public var text: String
    public init(code: ResponseCode? = nil, text: String) { self.code = code; self.text = text }
}
