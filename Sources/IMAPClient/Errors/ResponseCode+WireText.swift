extension ResponseCode {
    /// The code as the server wrote it (`TRYCREATE`, `COPYUID 5 1:2 7:8`), for messages and logs.
    public var wireText: String {
        switch self {
        case .alert: return "ALERT"
        case .badCharset(let charsets): return charsets.isEmpty ? "BADCHARSET" : "BADCHARSET (\(charsets.joined(separator: " ")))"
        case .capability: return "CAPABILITY ..."
        case .parse: return "PARSE"
        case .permanentFlags(let flags): return "PERMANENTFLAGS (\(flags.map(\.rawValue).joined(separator: " ")))"
        case .readOnly: return "READ-ONLY"
        case .readWrite: return "READ-WRITE"
        case .tryCreate: return "TRYCREATE"
        case .uidNext(let uid): return "UIDNEXT \(uid)"
        case .uidValidity(let value): return "UIDVALIDITY \(value)"
        case .unseen(let number): return "UNSEEN \(number)"
        case .appendUID(let validity, let uids): return "APPENDUID \(validity) \(uids.wireText)"
        case .copyUID(let validity, let source, let destination): return "COPYUID \(validity) \(source.wireText) \(destination.wireText)"
        case .uidNotSticky: return "UIDNOTSTICKY"
        case .highestModSeq(let value): return "HIGHESTMODSEQ \(value)"
        case .noModSeq: return "NOMODSEQ"
        case .modified(let set): return "MODIFIED \(set.wireText)"
        case .closed: return "CLOSED"
        case .alreadyExists: return "ALREADYEXISTS"
        case .nonExistent: return "NONEXISTENT"
        case .authenticationFailed: return "AUTHENTICATIONFAILED"
        case .authorizationFailed: return "AUTHORIZATIONFAILED"
        case .unavailable: return "UNAVAILABLE"
        case .expired: return "EXPIRED"
        case .privacyRequired: return "PRIVACYREQUIRED"
        case .contactAdmin: return "CONTACTADMIN"
        case .noPerm: return "NOPERM"
        case .inUse: return "INUSE"
        case .expungeIssued: return "EXPUNGEISSUED"
        case .corruption: return "CORRUPTION"
        case .serverBug: return "SERVERBUG"
        case .clientBug: return "CLIENTBUG"
        case .cannot: return "CANNOT"
        case .limit: return "LIMIT"
        case .overQuota: return "OVERQUOTA"
        case .other(let name, let arguments): return arguments.map { "\(name) \($0)" } ?? name
        }
    }
}
