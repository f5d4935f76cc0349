/// Serialises a status line and header fields into bytes (RFC 9112 §4).
enum ResponseHead {
    /// The interim response sent when a handler first reads a body the client holds back.
    static let `continue`: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static func encode(status: Int, headers: HTTPHeaders) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        bytes.append(contentsOf: String(status).utf8)
        bytes.append(ByteClass.space)
        bytes.append(contentsOf: HTTPStatus.reasonPhrase(status).utf8)
        bytes.append(ByteClass.cr)
        bytes.append(ByteClass.lf)
        for (name, value) in headers {
            bytes.append(contentsOf: name.utf8)
            bytes.append(ByteClass.colon)
            bytes.append(ByteClass.space)
            // A handler must never be able to split the response: drop CR and LF from values.
            for byte in value.utf8 where byte != ByteClass.cr && byte != ByteClass.lf { bytes.append(byte) }
            bytes.append(ByteClass.cr)
            bytes.append(ByteClass.lf)
        }
        bytes.append(ByteClass.cr)
        bytes.append(ByteClass.lf)
        return bytes
    }
}
