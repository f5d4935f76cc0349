/// The parser of one connection's incoming bytes.
// @unchecked Sendable: only the task that holds the connection's CommandGate touches it
// (the greeting is read before the connection is handed out, under the gate as well).
final class ResponseReader: @unchecked Sendable {
    var parser: ResponseParser
    /// Some servers send NUL bytes before the greeting; they are dropped until the first real byte.
    private var seenData = false

    init(limits: ParserLimits) { parser = ResponseParser(limits: limits) }

    func feed(_ bytes: [UInt8]) {
        if seenData {
            parser.append(bytes)
            return
        }
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return }
        seenData = true
        parser.append(bytes[first...])
    }

    /// Bytes received but not yet parsed (must be zero when STARTTLS begins: anything sent in
    /// clear after the OK would otherwise be read as if it came over TLS).
    var buffered: Int { parser.bufferedByteCount }
}
