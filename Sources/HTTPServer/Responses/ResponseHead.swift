/// Serialises a status line and header fields into bytes (RFC 9112 §4), appending directly
/// into one buffer: no intermediate header list per response.
struct ResponseHead {
    /// The interim response sent when a handler first reads a body the client holds back.
    static let `continue`: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private(set) var bytes: [UInt8] = []

    /// Starts with the status line.
    init(status: Int) {
        bytes.reserveCapacity(320)
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        bytes.append(contentsOf: String(status).utf8)
        bytes.append(ByteClass.space)
        bytes.append(contentsOf: HTTPStatus.reasonPhrase(status).utf8)
        bytes.append(ByteClass.cr)
        bytes.append(ByteClass.lf)
    }

    /// Appends one field line.
    mutating func add(_ name: String, _ value: String) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(ByteClass.colon)
        bytes.append(ByteClass.space)
        if value.utf8.contains(where: { $0 == ByteClass.cr || $0 == ByteClass.lf }) {
            // A handler must never be able to split the response: drop CR and LF from values.
            bytes.append(contentsOf: value.utf8.filter { $0 != ByteClass.cr && $0 != ByteClass.lf })
        } else {
            bytes.append(contentsOf: value.utf8)
        }
        bytes.append(ByteClass.cr)
        bytes.append(ByteClass.lf)
    }

    /// Ends the head with the empty line and returns the bytes.
    consuming func finish() -> [UInt8] {
        bytes.append(ByteClass.cr)
        bytes.append(ByteClass.lf)
        return bytes
    }

    /// A whole head from a status and a header list.
    static func encode(status: Int, headers: HTTPHeaders) -> [UInt8] {
        var head = ResponseHead(status: status)
        for (name, value) in headers { head.add(name, value) }
        return head.finish()
    }
}
