/// request-line = method SP request-target SP HTTP-version   (RFC 9112 §3)
enum RequestLineParser {
    struct RequestLine: Equatable {
        var method: HTTPMethod
        var target: String
        var version: HTTPVersion
    }

    /// Parses one request line without its CRLF.
    static func parse(_ line: ArraySlice<UInt8>, limits: HTTPParserLimits) throws(HTTPParseError) -> RequestLine {
        var index = line.startIndex
        // method = token
        while index < line.endIndex, ByteClass.isToken(line[index]) { index += 1 }
        guard index > line.startIndex else { throw .invalidMethod }
        guard index < line.endIndex else { throw .invalidRequestLine }
        guard line[index] == ByteClass.space else { throw .invalidMethod }
        let method = HTTPMethod(rawValue: String(decoding: line[line.startIndex..<index], as: UTF8.self))

        // request-target: visible ASCII, exactly one SP on each side.
        let targetStart = index + 1
        index = targetStart
        while index < line.endIndex, line[index] != ByteClass.space {
            guard ByteClass.isVisibleASCII(line[index]) else { throw .invalidTarget }
            index += 1
        }
        guard index - targetStart <= limits.maxTargetLength else { throw .targetTooLong(limit: limits.maxTargetLength) }
        guard index > targetStart else { throw .invalidTarget }
        guard index < line.endIndex else { throw .invalidRequestLine }
        let target = String(decoding: line[targetStart..<index], as: UTF8.self)

        let version = try parseVersion(line[(index + 1)...])
        return RequestLine(method: method, target: target, version: version)
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT; only major version 1 is served.
    static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        let expected = Array("HTTP/".utf8)
        guard bytes.count == 8, bytes.prefix(5).elementsEqual(expected) else { throw .invalidVersion }
        let major = bytes[bytes.startIndex + 5], dot = bytes[bytes.startIndex + 6], minor = bytes[bytes.startIndex + 7]
        guard isDigit(major), dot == UInt8(ascii: "."), isDigit(minor) else { throw .invalidVersion }
        let version = HTTPVersion(major: Int(major - UInt8(ascii: "0")), minor: Int(minor - UInt8(ascii: "0")))
        guard version.major == 1 else { throw .unsupportedVersion(version.description) }
        return version
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
