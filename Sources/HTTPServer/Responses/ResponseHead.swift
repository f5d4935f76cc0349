/// Serialises a status line and header fields into bytes (RFC 9112 §4), appending directly
/// into one buffer: no intermediate header list per response.
struct ResponseHead {
    /// The interim response sent when a handler first reads a body the client holds back.
    static let `continue`: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private(set) var bytes: [UInt8] = []

    /// Status lines of the common statuses, encoded once.
    private static let statusLines: [Int: [UInt8]] = {
        var lines: [Int: [UInt8]] = [:]
        for status in [200, 201, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 409, 413, 429, 500, 502, 503, 504] {
            lines[status] = statusLine(status)
        }
        return lines
    }()

    private static func statusLine(_ status: Int) -> [UInt8] {
        Array("HTTP/1.1 \(status) \(HTTPStatus.reasonPhrase(status))\r\n".utf8)
    }

    /// Starts with the status line.
    init(status: Int) {
        bytes.reserveCapacity(320)
        bytes.append(contentsOf: Self.statusLines[status] ?? Self.statusLine(status))
    }

    /// Appends one field line from a handler: CR and LF are dropped from the value, so that
    /// no handler can split the response.
    mutating func add(_ name: String, _ value: String) {
        var clean = true
        for byte in value.utf8 where byte == ByteClass.cr || byte == ByteClass.lf {
            clean = false
            break
        }
        if clean {
            addTrusted(name, value)
        } else {
            addTrusted(name, String(decoding: value.utf8.filter { $0 != ByteClass.cr && $0 != ByteClass.lf }, as: UTF8.self))
        }
    }

    /// Appends a field line whose value the server made itself (known to hold no CR or LF).
    mutating func addTrusted(_ name: String, _ value: String) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(ByteClass.colon)
        bytes.append(ByteClass.space)
        bytes.append(contentsOf: value.utf8)
        bytes.append(ByteClass.cr)
        bytes.append(ByteClass.lf)
    }

    /// Appends a field line with a decimal value (`Content-Length`), without a String.
    mutating func addDecimal(_ name: String, _ value: Int) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(ByteClass.colon)
        bytes.append(ByteClass.space)
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = max(value, 0)
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
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
