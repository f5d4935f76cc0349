/// One piece of an encoded command, in sending order.
public enum CommandPart: Hashable, Sendable {
    /// Bytes to write as they are.
    case bytes([UInt8])
    /// The bytes before ended with a synchronizing literal's `{n}\r\n`: wait for the server's `+`
    /// continuation (or a tagged NO/BAD that ends the command) before writing the next part.
    case awaitContinuation
    /// APPEND's message: the caller writes exactly `size` octets of its own here.
    case messageData(size: Int)
}

/// A command ready to send: its parts, plus what is safe to show in logs.
public struct EncodedCommand: Hashable, Sendable {
    /// nil for `DONE`, which has no tag.
    public var tag: String?
    /// `UID FETCH`, `LOGIN`...
    public var name: String
    public var parts: [CommandPart]
    /// The command as text for traces: credentials replaced by `<redacted>`, literal payloads
    /// summarised as `<n octets>`.
    public var logText: String

    public init(tag: String?, name: String, parts: [CommandPart], logText: String) {
        self.tag = tag; self.name = name; self.parts = parts; self.logText = logText
    }

    /// All `bytes` parts joined (what goes on the wire apart from APPEND's message data).
    public var bytes: [UInt8] {
        parts.reduce(into: []) { result, part in if case .bytes(let chunk) = part { result += chunk } }
    }

    /// The length of the first line without its CRLF: the one carrying sequence sets, which
    /// servers such as Yahoo limit to 1000 octets.
    public var firstLineLength: Int {
        let all = bytes
        var index = 0
        while index + 1 < all.count {
            if all[index] == 13 && all[index + 1] == 10 { return index }
            index += 1
        }
        return all.count
    }
}
